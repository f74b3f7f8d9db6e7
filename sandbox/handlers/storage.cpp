// Object storage (tag "Storage"): the workspace's tenant (quota and usage computed from its
// buckets), buckets (documents of kind "bucket", names global like S3's), presigned URLs
// (HMAC-SHA256 over method, bucket, key and expiry with a per-bucket signing key that is
// kept sealed) and S3 access keys (kind "storage_access_key": the secret is in the create
// response only and kept sealed; revocation is final and audited).
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>

#include "data_common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

constexpr const char* kEndpoint = "https://storage.cloud.example";

struct PlanLimits {
  std::int64_t storageBytes;
  std::int64_t buckets;
  std::int64_t egressBytes;
};

constexpr std::int64_t kGiB = 1024LL * 1024 * 1024;

// The plan's object storage: bytes and buckets from the plan catalogue (an unlimited one
// shown as a very large number, since the quota has no "unlimited"); egress, which the
// catalogue does not list, ten times the storage.
PlanLimits limitsOf(const std::string& plan) {
  const Plan& p = planNamed(plan);
  auto orLarge = [](std::int64_t value, std::int64_t large) { return value < 0 ? large : value; };
  const std::int64_t bytes = orLarge(p.limit("storage_bytes"), 1024 * 1024 * kGiB);
  const std::int64_t egress = plan == "free" ? 10 * kGiB : plan == "pro" ? 1024 * kGiB : 5 * 1024 * kGiB;
  return {bytes, orLarge(p.limit("buckets"), 100000), p.limit("storage_bytes") < 0 ? bytes : egress};
}

// Bucket names are global (they are DNS names): taken in any workspace of the same mode.
bool bucketNameTaken(storage::Connection& c, const Tenant& t, const std::string& name) {
  auto q = c.prepare("SELECT 1 FROM resources WHERE kind = 'bucket' AND mode = $1 AND unique_name = $2");
  q->bind_text(1, t.mode).bind_text(2, name);
  return q->step();
}

// The first instant of next month, sandbox time: the end of the billing period.
std::string periodEnd(const std::string& now) {
  int year = std::stoi(now.substr(0, 4)), month = std::stoi(now.substr(5, 2));
  if (++month > 12) {
    month = 1;
    ++year;
  }
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-01T00:00:00.000Z", year, month);
  return buffer;
}

// RFC 3986 unreserved characters stay; everything else (but '/', which separates a key's
// folders) is percent-encoded.
std::string encodeKey(const std::string& key) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : key) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~' || ch == '/') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += digits[ch >> 4];
      out += digits[ch & 15];
    }
  }
  return out;
}

std::string bucketEndpoint(const std::string& name, const std::string& region) {
  return "https://" + name + "." + region + ".storage.cloud.example";
}

// "AK" and 18 upper-case letters and digits, as S3 access key ids look.
std::string newAccessKeyId() {
  std::string token = randomToken(18);
  std::transform(token.begin(), token.end(), token.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return "AK" + token;
}

class Storage final : public StorageHandler {
 public:
  explicit Storage(const Services& services) : s_(services) {}

  GetStorageQuotaResponse getStorageQuota(const GetStorageQuotaRequest&, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Json quota = s_.db.with([&](storage::Connection& c) {
      const PlanLimits limits = limitsOf(planOf(c, t));
      std::int64_t used = 0, count = 0;
      for (const Document& bucket : allBuckets(c, t)) {
        used += bucket.body["size_bytes"].get<std::int64_t>();
        ++count;
      }
      return Json{{"plan_limit_bytes", limits.storageBytes}, {"used_bytes", used},
                  {"bucket_limit", limits.buckets},          {"bucket_count", count},
                  {"egress_limit_bytes", limits.egressBytes}, {"egress_used_bytes", 0},
                  {"endpoint", kEndpoint},                   {"period_end", periodEnd(s_.clock.nowText())}};
    });
    return {reply<GetStorageQuotaResponse::Status200>(quota)};
  }

  ListBucketsResponse listBuckets(const ListBucketsRequest& request, http::Context& context) override {
    ListQuery query = listQuery(request, "bucket");
    if (request.region) query.bodyEquals.emplace_back("region", text(*request.region));
    Page page = s_.db.with([&](storage::Connection& c) { return documents::list(c, tenantOf(context), query); });
    return {reply<ListBucketsResponse::Status200>(page.json())};
  }

  CreateBucketResponse createBucket(const CreateBucketRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const Json in = toJson(request.body);
    const std::string now = s_.clock.nowText();
    const std::string name = in["name"].get<std::string>(), region = in["region"].get<std::string>();
    if (name.find("..") != std::string::npos) invalid("/name", "A bucket name cannot contain \"..\".");
    Document d;
    d.id = newId("bkt_");
    d.kind = "bucket";
    d.name = d.uniqueName = name;
    d.createdAt = d.updatedAt = now;
    d.body = {{"id", d.id},
              {"name", name},
              {"region", region},
              {"public_read", in.value("public_read", false)},
              {"versioning", in.value("versioning", false)},
              {"object_count", 0},
              {"size_bytes", 0},
              {"endpoint", bucketEndpoint(name, region)},
              {"created_at", now},
              {"updated_at", now}};
    // The key presigned URLs of this bucket are signed with.
    d.sealed = s_.sealer.seal(randomToken(48), d.id);
    s_.db.transact([&](storage::Connection& c) {
      if (bucketNameTaken(c, t, name)) conflict("The bucket name \"" + name + "\" is taken.");
      const PlanLimits limits = limitsOf(planOf(c, t));
      if (static_cast<std::int64_t>(allBuckets(c, t).size()) >= limits.buckets) {
        fail(403, "PLAN_RESTRICTED_FEATURE",
             "The plan allows " + std::to_string(limits.buckets) + " buckets; delete one or upgrade.");
      }
      documents::insert(c, t, d);
      s_.emit(c, t, "bucket.created", change(d.body));
    });
    return {reply<CreateBucketResponse::Status201>(d.body)};
  }

  GetBucketResponse getBucket(const GetBucketRequest& request, http::Context& context) override {
    return {reply<GetBucketResponse::Status200>(bucket(context, text(request.bucket_id)).body)};
  }

  UpdateBucketResponse updateBucket(const UpdateBucketRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const Json patch = toJson(request.body);
    Json updated = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "bucket", text(request.bucket_id));
      if (d.body["versioning"] == true && patch.value("versioning", true) == false) {
        conflict("Versioning cannot be turned off once on; it can only be suspended.");
      }
      mergePatch(d.body, patch);
      d.updatedAt = s_.clock.nowText();
      d.body["updated_at"] = d.updatedAt;
      documents::update(c, t, d);
      return d.body;
    });
    return {reply<UpdateBucketResponse::Status200>(updated)};
  }

  DeleteBucketResponse deleteBucket(const DeleteBucketRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "bucket", text(request.bucket_id));
      if (d.body["object_count"].get<std::int64_t>() > 0) conflict("The bucket has objects; empty it first.");
      documents::remove(c, t, "bucket", d.id);
      s_.emit(c, t, "bucket.deleted", change(d.body));
    });
    return {DeleteBucketResponse::Status204{}};
  }

  CreatePresignedUrlResponse createPresignedUrl(const CreatePresignedUrlRequest& request,
                                                http::Context& context) override {
    const Document d = bucket(context, text(request.bucket_id));
    const Json in = toJson(request.body);
    const std::string method = in["method"].get<std::string>(), key = in["object_key"].get<std::string>();
    const std::int64_t lifetime = in.value("expires_in", std::int64_t{3600});
    const auto expires = s_.clock.now() + std::chrono::seconds(lifetime);
    const std::int64_t expiresUnix =
        std::chrono::duration_cast<std::chrono::seconds>(expires.time_since_epoch()).count();
    Json headers = Json::object();
    if (method == "PUT" && in.contains("content_type")) headers["Content-Type"] = in["content_type"];
    // What the signature covers: a URL for one method, object and expiry (and content type).
    const std::string canonical = method + "\n" + d.body["name"].get<std::string>() + "\n" + key + "\n" +
                                  std::to_string(expiresUnix) + "\n" + headers.value("Content-Type", "");
    std::optional<std::string> signingKey = s_.sealer.open(*d.sealed, d.id);
    if (!signingKey) throw std::runtime_error("the signing key of " + d.id + " does not open");
    const std::string signature = hex(hmacSha256(Bytes(signingKey->begin(), signingKey->end()), canonical));
    const std::string url = d.body["endpoint"].get<std::string>() + "/" + encodeKey(key) +
                            "?X-Tether-Method=" + method + "&X-Tether-Expires=" + std::to_string(expiresUnix) +
                            "&X-Tether-Credential=" + d.id + "&X-Tether-Signature=" + signature;
    Json out = {{"url", url}, {"method", method}, {"headers", headers}, {"expires_at", Clock::format(expires)}};
    return {reply<CreatePresignedUrlResponse::Status201>(out)};
  }

  ListStorageAccessKeysResponse listStorageAccessKeys(const ListStorageAccessKeysRequest& request,
                                                      http::Context& context) override {
    ListQuery query = listQuery(request, "storage_access_key");
    if (request.status) query.status = text(*request.status);
    Page page = s_.db.with([&](storage::Connection& c) { return documents::list(c, tenantOf(context), query); });
    return {reply<ListStorageAccessKeysResponse::Status200>(page.json())};
  }

  CreateStorageAccessKeyResponse createStorageAccessKey(const CreateStorageAccessKeyRequest& request,
                                                        http::Context& context) override {
    const Tenant t = tenantOf(context);
    const Json in = toJson(request.body);
    const std::string now = s_.clock.nowText();
    const std::string secret = randomToken(40);
    Document d;
    d.id = newId("sak_");
    d.kind = "storage_access_key";
    d.name = in["name"].get<std::string>();
    d.status = "active";
    d.createdAt = d.updatedAt = now;
    d.body = {{"id", d.id},
              {"name", *d.name},
              {"access_key_id", newAccessKeyId()},
              {"permission", in.value("permission", "read_write")},
              {"bucket_ids", in.value("bucket_ids", Json::array())},
              {"status", "active"},
              {"last_used_at", nullptr},
              {"created_at", now}};
    d.sealed = s_.sealer.seal(secret, d.id);
    s_.db.transact([&](storage::Connection& c) {
      const Json& buckets = d.body["bucket_ids"];
      for (std::size_t i = 0; i < buckets.size(); ++i) {
        if (!documents::find(c, t, "bucket", buckets[i].get<std::string>())) {
          invalid("/bucket_ids/" + std::to_string(i), "No bucket with this id in the workspace.");
        }
      }
      documents::insert(c, t, d);
      s_.audit(c, t, "storage_access_key.created", "storage_access_key", d.id, context);
    });
    Json shown = d.body;
    shown["secret_access_key"] = secret;
    return {reply<CreateStorageAccessKeyResponse::Status201>(shown)};
  }

  GetStorageAccessKeyResponse getStorageAccessKey(const GetStorageAccessKeyRequest& request,
                                                  http::Context& context) override {
    Document d = s_.db.with([&](storage::Connection& c) {
      return documents::get(c, tenantOf(context), "storage_access_key", text(request.storage_access_key_id));
    });
    return {reply<GetStorageAccessKeyResponse::Status200>(d.body)};
  }

  RevokeStorageAccessKeyResponse revokeStorageAccessKey(const RevokeStorageAccessKeyRequest& request,
                                                        http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "storage_access_key", text(request.storage_access_key_id));
      if (d.status == "revoked") return;  // DELETE is idempotent
      d.status = "revoked";
      d.body["status"] = "revoked";
      d.updatedAt = s_.clock.nowText();
      d.sealed.reset();  // a revoked secret is of no use to anyone: forget it
      documents::update(c, t, d);
      s_.audit(c, t, "storage_access_key.revoked", "storage_access_key", d.id, context);
    });
    return {RevokeStorageAccessKeyResponse::Status204{}};
  }

 private:
  Document bucket(http::Context& context, const std::string& id) const {
    return s_.db.with([&](storage::Connection& c) { return documents::get(c, tenantOf(context), "bucket", id); });
  }

  // Every bucket of the tenant (the plan caps them, so they are few).
  static std::vector<Document> allBuckets(storage::Connection& c, const Tenant& t) {
    std::vector<Document> out;
    ListQuery query;
    query.kind = "bucket";
    query.limit = 100;
    for (;;) {
      Page page = documents::list(c, t, query);
      for (Document& d : page.items) out.push_back(std::move(d));
      if (!page.hasMore || !page.nextCursor) return out;
      query.cursor = page.nextCursor;
    }
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<StorageHandler> makeStorageHandler(const Services& services) {
  return std::make_unique<Storage>(services);
}

}  // namespace tether::sandbox
