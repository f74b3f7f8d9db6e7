// Regions and sizes (tag "Regions & Sizes"): the fixed catalogue of compute_common.cpp,
// filtered and paged like every other list. Nothing is stored: the catalogue is the same
// for every workspace.
#include "compute_common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

// Catalogue entries as documents for documents::paginate. Their "creation" times fall
// with the position in the catalogue, so the default order (newest first) is the
// catalogue's own.
std::vector<Document> asDocuments(const std::vector<Json>& entries, const std::string& kind) {
  std::vector<Document> out;
  const std::int64_t epoch = compute::toMs("2026-01-01T00:00:00.000Z");
  std::int64_t position = 0;
  for (const Json& entry : entries) {
    Document d;
    d.id = entry["slug"].get<std::string>();
    d.kind = kind;
    d.name = d.id;
    d.createdAt = d.updatedAt = compute::fromMs(epoch - 1000 * position++);
    d.body = entry;
    out.push_back(std::move(d));
  }
  return out;
}

class RegionsSizes final : public RegionsSizesHandler {
 public:
  RegionsSizes() = default;

  ListRegionsResponse listRegions(const ListRegionsRequest& request, http::Context&) override {
    std::vector<Json> selected;
    for (const Json& region : compute::regions()) {
      if (request.available && region["available"] != *request.available) continue;
      if (request.feature && !compute::regionOffers(region, text(*request.feature))) continue;
      selected.push_back(region);
    }
    Page page = documents::paginate(asDocuments(selected, "region"), listQuery(request, "region"));
    return {reply<ListRegionsResponse::Status200>(page.json())};
  }

  GetRegionResponse getRegion(const GetRegionRequest& request, http::Context&) override {
    std::optional<Json> region = compute::findRegion(request.region_slug);
    if (!region) fail(404, http::code::kNotFound, "No region \"" + request.region_slug + "\".");
    return {reply<GetRegionResponse::Status200>(*region)};
  }

  ListSizesResponse listSizes(const ListSizesRequest& request, http::Context&) override {
    std::vector<Json> selected;
    for (const Json& size : compute::sizes()) {
      if (request.kind && size["kind"] != text(*request.kind)) continue;
      if (request.region && !compute::sizeOfferedIn(size, *request.region)) continue;
      selected.push_back(size);
    }
    Page page = documents::paginate(asDocuments(selected, "size"), listQuery(request, "size"));
    return {reply<ListSizesResponse::Status200>(page.json())};
  }

  GetSizeResponse getSize(const GetSizeRequest& request, http::Context&) override {
    std::optional<Json> size = compute::findSize(request.size_slug);
    if (!size) fail(404, http::code::kNotFound, "No size \"" + request.size_slug + "\".");
    return {reply<GetSizeResponse::Status200>(*size)};
  }
};

}  // namespace

std::unique_ptr<RegionsSizesHandler> makeRegionsSizesHandler(const Services&) {
  return std::make_unique<RegionsSizes>();
}

}  // namespace tether::sandbox
