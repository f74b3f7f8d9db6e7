// Resources as documents (the `resources` table of migration 2): each row holds the JSON
// the API returns for the resource, next to the columns that queries need (kind, parent,
// name, status, timestamps). Every query is keyed by the caller's workspace and mode, so a
// foreign or test-mode id is simply not found: tenant isolation is in the key of every
// statement, not in a check a handler could forget.
//
// The functions take the connection so that a handler composes several of them in one
// transaction (Database::transact).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto.h"
#include "tether/sandbox/storage.h"

namespace tether::sandbox {

using Json = nlohmann::json;

// Who is calling: the workspace and mode ("live" or "test") of the credential.
struct Tenant {
  std::string workspace;
  std::string mode;
  std::string keyId;   // the API key (or the key an access token was minted from)
  std::string userId;  // the user the key belongs to
};

struct Document {
  std::string id;
  std::string kind;
  std::string parent;                      // "" at the top
  std::optional<std::string> name;         // for name filters and sorting
  std::optional<std::string> uniqueName;   // unique among the parent's children of the kind
  std::optional<std::string> status;
  Json body = Json::object();
  std::optional<Bytes> sealed;             // an encrypted secret, never part of body
  std::string createdAt;
  std::string updatedAt;
};

enum class SortKey { CreatedAt, UpdatedAt, Name };

struct ListQuery {
  std::string kind;
  std::optional<std::string> parent;  // nullopt: any parent
  std::int64_t limit = 25;
  std::optional<std::string> cursor;
  SortKey sort = SortKey::CreatedAt;
  bool descending = true;             // newest first unless sort= says otherwise
  std::optional<std::string> namePrefix;
  std::optional<std::string> status;
  // Extra equality filters on body members ({"owner_id": "usr_..."}), applied in SQL on
  // the JSON text would differ between back ends, so they are applied after the fetch;
  // the page is filled by reading on.
  std::vector<std::pair<std::string, std::string>> bodyEquals;
};

struct Page {
  std::vector<Document> items;
  std::optional<std::string> nextCursor;
  bool hasMore = false;
  // {"data": [...bodies], "meta": {"next_cursor", "has_more"}}: the spec's list shape.
  Json json() const;
};

// "-created_at" → {CreatedAt, descending}; throws a 400 problem for an unknown one.
void applySort(ListQuery& query, const std::optional<std::string>& sort);

namespace documents {

// Inserts; a taken unique name answers 409 CONFLICT naming it.
void insert(storage::Connection& c, const Tenant& t, const Document& d);
std::optional<Document> find(storage::Connection& c, const Tenant& t, const std::string& kind, const std::string& id);
// find() or a 404 RESOURCE_NOT_FOUND problem naming the id.
Document get(storage::Connection& c, const Tenant& t, const std::string& kind, const std::string& id);
// Writes the row back (name, unique name, status, body, sealed, updatedAt).
void update(storage::Connection& c, const Tenant& t, const Document& d);
// Deletes the document and its descendants of the given kinds. False when it was not there.
bool remove(storage::Connection& c, const Tenant& t, const std::string& kind, const std::string& id);
// Children of a parent, of a kind (for "in use" checks and cascades).
std::int64_t countChildren(storage::Connection& c, const Tenant& t, const std::string& kind, const std::string& parent);
void removeChildren(storage::Connection& c, const Tenant& t, const std::string& parent);
// A page; a cursor from another query (sort or filters) is a 400.
Page list(storage::Connection& c, const Tenant& t, const ListQuery& query);
// The same paging over rows that are not documents (API keys, workspaces: tables of their
// own, and few per workspace): filtered, sorted and cut in memory, with the same cursors.
Page paginate(std::vector<Document> all, const ListQuery& query);
// Every document of a kind and status in any workspace, oldest first (for the clock that
// moves lifecycles).
std::vector<std::pair<Tenant, Document>> byStatus(storage::Connection& c, const std::string& kind,
                                                  const std::string& status, std::int64_t limit);

}  // namespace documents
}  // namespace tether::sandbox
