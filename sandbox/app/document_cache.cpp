#include "document_cache.h"

#include <utility>

namespace tether::sandbox {

DocumentCache& DocumentCache::instance() {
  static DocumentCache cache;
  return cache;
}

std::string DocumentCache::key(const Tenant& t, const std::string& kind, const std::string& id) {
  std::string out;
  out.reserve(t.workspace.size() + t.mode.size() + kind.size() + id.size() + 16);
  for (const std::string* part : {&t.workspace, &t.mode, &kind, &id}) {
    out += std::to_string(part->size());
    out += ':';
    out += *part;
  }
  return out;
}

std::optional<Document> DocumentCache::find(const storage::WriteClock& clock, const std::string& key) {
  const std::optional<std::uint64_t> now = clock.stamp();
  if (!now) return std::nullopt;
  std::shared_ptr<const Document> found;
  {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end() || it->second.clock != clock.id() || it->second.generation != *now) return std::nullopt;
    found = it->second.document;
  }
  // The stamp was taken before the entry was looked at: a write that began meanwhile had
  // not changed anything yet, so the copy below is still an answer the database gave.
  return *found;  // copied outside the lock
}

void DocumentCache::put(const storage::WriteClock& clock, std::string key, const Document& d, std::uint64_t stamp) {
  auto document = std::make_shared<const Document>(d);
  std::lock_guard lock(mutex_);
  // Checked under the lock, after the copy: a write that began during the read or the
  // copy has moved the generation, and what was read may already be old.
  if (!clock.unchanged(stamp)) return;
  if (entries_.size() >= kCapacity) entries_.clear();
  entries_[std::move(key)] = Entry{std::move(document), clock.id(), stamp};
}

}  // namespace tether::sandbox
