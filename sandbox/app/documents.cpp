#include "documents.h"

#include <algorithm>

#include "document_cache.h"
#include "faults.h"
#include "problems.h"

namespace tether::sandbox {

namespace {

constexpr const char* kColumns =
    "id, kind, parent_id, name, unique_name, status, body, sealed, created_at, updated_at";

Document readRow(const storage::Statement& q, int first = 0) {
  Document d;
  d.id = q.text(first + 0);
  d.kind = q.text(first + 1);
  d.parent = q.text(first + 2);
  d.name = q.opt_text(first + 3);
  d.uniqueName = q.opt_text(first + 4);
  d.status = q.opt_text(first + 5);
  d.body = Json::parse(q.text(first + 6));
  if (!q.is_null(first + 7)) d.sealed = q.blob(first + 7);
  d.createdAt = q.text(first + 8);
  d.updatedAt = q.text(first + 9);
  return d;
}

void bindOptional(storage::Statement& q, int index, const std::optional<std::string>& value) {
  if (value) q.bind_text(index, *value);
  else q.bind_null(index);
}

const char* sortColumn(SortKey key) {
  switch (key) {
    case SortKey::UpdatedAt: return "updated_at";
    case SortKey::Name: return "COALESCE(name, '')";
    case SortKey::CreatedAt: break;
  }
  return "created_at";
}

std::string sortValue(const Document& d, SortKey key) {
  switch (key) {
    case SortKey::UpdatedAt: return d.updatedAt;
    case SortKey::Name: return d.name.value_or("");
    case SortKey::CreatedAt: break;
  }
  return d.createdAt;
}

// What a cursor is tied to: the kind, parent, sort and filters of its query.
std::string queryKey(const ListQuery& q) {
  Json key = {q.kind, q.parent.value_or("*"), static_cast<int>(q.sort), q.descending, q.namePrefix.value_or(""),
              q.status.value_or("")};
  for (const auto& [member, value] : q.bodyEquals) key.push_back(member + "=" + value);
  return hex(sha256(key.dump())).substr(0, 16);
}

bool bodyMatches(const Document& d, const ListQuery& q) {
  for (const auto& [member, value] : q.bodyEquals) {
    auto it = d.body.find(member);
    if (it == d.body.end() || !it->is_string() || it->get<std::string>() != value) return false;
  }
  return true;
}

}  // namespace

Json Page::json() const {
  Json data = Json::array();
  for (const Document& d : items) data.push_back(d.body);
  return {{"data", std::move(data)},
          {"meta", {{"next_cursor", nextCursor ? Json(*nextCursor) : Json(nullptr)}, {"has_more", hasMore}}}};
}

void applySort(ListQuery& query, const std::optional<std::string>& sort) {
  if (!sort) return;
  std::string field = *sort;
  query.descending = !field.empty() && field[0] == '-';
  if (query.descending) field.erase(0, 1);
  if (field == "created_at") query.sort = SortKey::CreatedAt;
  else if (field == "updated_at") query.sort = SortKey::UpdatedAt;
  else if (field == "name") query.sort = SortKey::Name;
  else badRequest("The query parameter \"sort\" cannot be \"" + *sort + "\".");
}

namespace documents {

void insert(storage::Connection& c, const Tenant& t, const Document& d) {
  auto q = c.prepare(
      "INSERT INTO resources (id, workspace_id, mode, kind, parent_id, name, unique_name, status, body, sealed,"
      " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
  q->bind_text(1, d.id).bind_text(2, t.workspace).bind_text(3, t.mode).bind_text(4, d.kind).bind_text(5, d.parent);
  bindOptional(*q, 6, d.name);
  bindOptional(*q, 7, d.uniqueName);
  bindOptional(*q, 8, d.status);
  q->bind_text(9, d.body.dump());
  if (d.sealed) q->bind_blob(10, *d.sealed);
  else q->bind_null(10);
  q->bind_text(11, d.createdAt).bind_text(12, d.updatedAt);
  try {
    q->run();
  } catch (const storage::Error& e) {
    if (e.is_unique_violation() && d.uniqueName) {
      conflict("The name \"" + *d.uniqueName + "\" is already used by another " + d.kind + ".");
    }
    throw;
  }
}

std::optional<Document> find(storage::Connection& c, const Tenant& t, const std::string& kind, const std::string& id) {
  // The foreign-tenant fault keeps the parameters bound (both back ends insist) but lets
  // any workspace's row through.
  // Built once: this is every GET's query, and the statement cache looks it up by its text.
  static const std::string kOwn = std::string("SELECT ") + kColumns +
                                  " FROM resources WHERE id = $1 AND workspace_id = $2 AND mode = $3 AND kind = $4";
  static const std::string kAny = std::string("SELECT ") + kColumns +
                                  " FROM resources WHERE id = $1 AND (workspace_id = $2 OR workspace_id <> $2)"
                                  " AND mode = $3 AND kind = $4";
  const bool foreignVisible = faulty(Fault::ForeignTenantVisible);
  // The cache serves reads outside transactions only: inside one, a read must see the
  // transaction's own writes, which the database has not published.
  storage::WriteClock* clock = foreignVisible || c.in_transaction() ? nullptr : c.write_clock();
  std::string key;
  std::optional<std::uint64_t> stamp;
  if (clock != nullptr) {
    key = DocumentCache::key(t, kind, id);
    if (std::optional<Document> hit = DocumentCache::instance().find(*clock, key)) return hit;
    stamp = clock->stamp();
  }
  auto q = c.prepare(foreignVisible ? kAny : kOwn);
  q->bind_text(1, id).bind_text(2, t.workspace).bind_text(3, t.mode).bind_text(4, kind);
  if (!q->step()) return std::nullopt;
  Document d = readRow(*q);
  q.reset();  // ends the read before the stamp is checked
  if (stamp) DocumentCache::instance().put(*clock, std::move(key), d, *stamp);
  return d;
}

Document get(storage::Connection& c, const Tenant& t, const std::string& kind, const std::string& id) {
  std::optional<Document> d = find(c, t, kind, id);
  if (!d) notFound(kind + " \"" + id + "\"");
  return std::move(*d);
}

void update(storage::Connection& c, const Tenant& t, const Document& d) {
  auto q = c.prepare(
      "UPDATE resources SET name = $1, unique_name = $2, status = $3, body = $4, sealed = $5, updated_at = $6"
      " WHERE id = $7 AND workspace_id = $8 AND mode = $9");
  bindOptional(*q, 1, d.name);
  bindOptional(*q, 2, d.uniqueName);
  bindOptional(*q, 3, d.status);
  q->bind_text(4, d.body.dump());
  if (d.sealed) q->bind_blob(5, *d.sealed);
  else q->bind_null(5);
  q->bind_text(6, d.updatedAt).bind_text(7, d.id).bind_text(8, t.workspace).bind_text(9, t.mode);
  try {
    if (q->run() != 1) notFound(d.kind + " \"" + d.id + "\"");
  } catch (const storage::Error& e) {
    if (e.is_unique_violation() && d.uniqueName) {
      conflict("The name \"" + *d.uniqueName + "\" is already used by another " + d.kind + ".");
    }
    throw;
  }
}

bool remove(storage::Connection& c, const Tenant& t, const std::string& kind, const std::string& id) {
  if (faulty(Fault::DeletedReadable)) return find(c, t, kind, id).has_value();
  auto q = c.prepare("DELETE FROM resources WHERE id = $1 AND workspace_id = $2 AND mode = $3 AND kind = $4");
  q->bind_text(1, id).bind_text(2, t.workspace).bind_text(3, t.mode).bind_text(4, kind);
  if (q->run() == 0) return false;
  removeChildren(c, t, id);
  return true;
}

void removeChildren(storage::Connection& c, const Tenant& t, const std::string& parent) {
  // Depth first: children of children go too (a project's environments' variables).
  auto children = c.prepare("SELECT id FROM resources WHERE parent_id = $1 AND workspace_id = $2 AND mode = $3");
  children->bind_text(1, parent).bind_text(2, t.workspace).bind_text(3, t.mode);
  std::vector<std::string> ids;
  while (children->step()) ids.push_back(children->text(0));
  for (const std::string& id : ids) removeChildren(c, t, id);
  auto q = c.prepare("DELETE FROM resources WHERE parent_id = $1 AND workspace_id = $2 AND mode = $3");
  q->bind_text(1, parent).bind_text(2, t.workspace).bind_text(3, t.mode);
  q->run();
}

std::int64_t countChildren(storage::Connection& c, const Tenant& t, const std::string& kind,
                           const std::string& parent) {
  auto q = c.prepare(
      "SELECT COUNT(*) FROM resources WHERE workspace_id = $1 AND mode = $2 AND kind = $3 AND parent_id = $4");
  q->bind_text(1, t.workspace).bind_text(2, t.mode).bind_text(3, kind).bind_text(4, parent);
  q->step();
  return q->int64(0);
}

namespace {

// (sort value, id) of the last item the cursor's page held; a 400 for a foreign cursor.
std::optional<std::pair<std::string, std::string>> decodeCursor(const ListQuery& query, const std::string& key) {
  std::optional<std::pair<std::string, std::string>> after;
  if (query.cursor) {
    std::optional<std::string> text = base64UrlDecode(*query.cursor);
    Json cursor = text ? Json::parse(*text, nullptr, false) : Json();
    if (!cursor.is_object() || !cursor.contains("k") || !cursor.contains("v") || !cursor.contains("i") ||
        !cursor["k"].is_string() || !cursor["v"].is_string() || !cursor["i"].is_string()) {
      badRequest("The query parameter \"cursor\" is not a cursor this API issued.");
    }
    if (cursor["k"] != key) {
      badRequest("The cursor was issued for another sort or other filters; start again without it.");
    }
    after.emplace(cursor["v"].get<std::string>(), cursor["i"].get<std::string>());
  }
  return after;
}

std::string encodeCursor(const Document& last, const ListQuery& query, const std::string& key) {
  Json cursor = {{"k", key}, {"v", sortValue(last, query.sort)}, {"i", last.id}};
  return base64Url(cursor.dump());
}

}  // namespace

namespace {

// The page-skipped fault: a page reached by a cursor loses its first item, as an
// off-by-one in a cursor would do.
void skipFirstAfterCursor(Page& page, const ListQuery& query) {
  if (faulty(Fault::PageSkipped) && query.cursor && !page.items.empty()) page.items.erase(page.items.begin());
}

}  // namespace

Page list(storage::Connection& c, const Tenant& t, const ListQuery& query) {
  const std::string key = queryKey(query);
  const auto after = decodeCursor(query, key);
  const std::string column = sortColumn(query.sort);
  const char* dir = query.descending ? "DESC" : "ASC";
  const char* cmp = query.descending ? "<" : ">";
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM resources WHERE workspace_id = $1 AND mode = $2 AND kind = $3";
  int next = 4;
  std::vector<std::string> binds;
  auto bind = [&](std::string value) {
    binds.push_back(std::move(value));
    return "$" + std::to_string(next++);
  };
  if (query.parent) sql += " AND parent_id = " + bind(*query.parent);
  if (query.status) sql += " AND status = " + bind(*query.status);
  if (query.namePrefix) {
    // A range instead of LIKE: no wildcard characters to escape, and case-sensitive on both.
    sql += " AND name >= " + bind(*query.namePrefix) + " AND name < " + bind(*query.namePrefix + "\xF4\x8F\xBF\xBF");
  }
  if (after) {
    std::string v = bind(after->first), i = bind(after->second);
    sql += " AND (" + column + " " + cmp + " " + v + " OR (" + column + " = " + v + " AND id " + cmp + " " + i + "))";
  }
  sql += " ORDER BY " + column + " " + dir + ", id " + dir;
  const std::size_t limit = static_cast<std::size_t>(query.limit);
  // Body filters are applied here; read in batches until the page is full.
  sql += " LIMIT " + std::to_string(query.bodyEquals.empty() ? limit + 1 : 1000);
  auto q = c.prepare(sql);
  q->bind_text(1, t.workspace).bind_text(2, t.mode).bind_text(3, query.kind);
  for (std::size_t i = 0; i < binds.size(); ++i) q->bind_text(static_cast<int>(i) + 4, binds[i]);
  Page page;
  while (q->step()) {
    Document d = readRow(*q);
    if (!bodyMatches(d, query)) continue;
    if (page.items.size() == limit) {
      page.hasMore = true;
      break;
    }
    page.items.push_back(std::move(d));
  }
  if (page.hasMore) page.nextCursor = encodeCursor(page.items.back(), query, key);
  skipFirstAfterCursor(page, query);
  return page;
}

Page paginate(std::vector<Document> all, const ListQuery& query) {
  const std::string key = queryKey(query);
  const auto after = decodeCursor(query, key);
  auto position = [&](const Document& d) { return std::make_pair(sortValue(d, query.sort), d.id); };
  std::sort(all.begin(), all.end(), [&](const Document& a, const Document& b) {
    return query.descending ? position(a) > position(b) : position(a) < position(b);
  });
  Page page;
  for (Document& d : all) {
    if (query.status && d.status != query.status) continue;
    if (query.namePrefix && d.name.value_or("").rfind(*query.namePrefix, 0) != 0) continue;
    if (!bodyMatches(d, query)) continue;
    if (after && (query.descending ? position(d) >= *after : position(d) <= *after)) continue;
    if (page.items.size() == static_cast<std::size_t>(query.limit)) {
      page.hasMore = true;
      break;
    }
    page.items.push_back(std::move(d));
  }
  if (page.hasMore) page.nextCursor = encodeCursor(page.items.back(), query, key);
  skipFirstAfterCursor(page, query);
  return page;
}

std::vector<std::pair<Tenant, Document>> byStatus(storage::Connection& c, const std::string& kind,
                                                  const std::string& status, std::int64_t limit) {
  auto q = c.prepare(std::string("SELECT workspace_id, mode, ") + kColumns +
                     " FROM resources WHERE kind = $1 AND status = $2 ORDER BY updated_at LIMIT " +
                     std::to_string(limit));
  q->bind_text(1, kind).bind_text(2, status);
  std::vector<std::pair<Tenant, Document>> out;
  while (q->step()) {
    Tenant t;
    t.workspace = q->text(0);
    t.mode = q->text(1);
    out.emplace_back(std::move(t), readRow(*q, 2));
  }
  return out;
}

}  // namespace documents
}  // namespace tether::sandbox
