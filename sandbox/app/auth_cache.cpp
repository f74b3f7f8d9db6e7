#include "auth_cache.h"

namespace tether::sandbox {

namespace {
constexpr std::size_t kMaxEntries = 10000;  // more distinct keys in one TTL: start over
}  // namespace

std::shared_ptr<const KeyRow> KeyCache::find(const std::string& hash) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(hash);
  if (it == entries_.end()) return nullptr;
  if (std::chrono::steady_clock::now() - it->second.at > kTtl) {
    entries_.erase(it);
    return nullptr;
  }
  return it->second.row;
}

std::uint64_t KeyCache::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

void KeyCache::put(const std::string& hash, std::shared_ptr<const KeyRow> row, std::uint64_t generationBefore) {
  std::lock_guard lock(mutex_);
  if (generationBefore != generation_) return;
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[hash] = Entry{std::move(row), std::chrono::steady_clock::now()};
}

void KeyCache::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
  ++generation_;
}

}  // namespace tether::sandbox
