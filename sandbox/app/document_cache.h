// Documents read by id outside a transaction, kept in memory for the next read of the
// same id while their database's WriteClock says nothing has been written since.
//
// Why: on SQLite, reading one row costs more than everything else a GET does (a WAL read
// transaction, whose locks the server's threads queue on, the statement, and parsing the
// stored JSON). The sandbox on SQLite is the only writer of its file, and every write
// moves the clock before it changes anything, so a hit is exactly what the database would
// have answered. PostgreSQL has no clock (replicas write too): nothing of it is cached.
//
// Coarse on purpose: any write anywhere in the database makes every entry stale, so no
// code that writes has to say what it touched (raw UPDATEs in handlers, cascades, the
// lifecycle ticker). Reads between writes, the common case of a GET-heavy client, hit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "documents.h"

namespace tether::sandbox {

class DocumentCache {
 public:
  // Past this many entries the cache starts over: it holds what is read between writes,
  // and a bound keeps a scan of many ids from growing it without limit.
  static constexpr std::size_t kCapacity = 4096;

  // The process's cache; each entry remembers its database's clock, so databases do not mix.
  static DocumentCache& instance();

  // The key of a document: its tenant, kind and id (each length-prefixed: ids come from
  // URLs and may hold any byte).
  static std::string key(const Tenant& t, const std::string& kind, const std::string& id);

  // The document kept for `key`, if nothing was written to the clock's database since it
  // was read.
  std::optional<Document> find(const storage::WriteClock& clock, const std::string& key);
  // Keeps `d`, read by a read that began at `stamp` (WriteClock::stamp() before it), unless
  // a write has begun since.
  void put(const storage::WriteClock& clock, std::string key, const Document& d, std::uint64_t stamp);

 private:
  struct Entry {
    std::shared_ptr<const Document> document;
    std::uint64_t clock = 0;
    std::uint64_t generation = 0;
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace tether::sandbox
