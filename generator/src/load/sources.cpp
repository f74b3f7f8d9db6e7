#include "tether/load/sources.h"

#include <system_error>

namespace tether::load {

namespace {
std::string displayNameOf(const std::filesystem::path& path, const std::string& uri) {
  if (path.empty()) return uri;
  std::error_code ec;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  if (!ec && path.is_absolute()) {
    std::filesystem::path relative = path.lexically_relative(cwd);
    if (!relative.empty()) return relative.generic_string();
  }
  return path.generic_string();
}
}  // namespace

SourceFile& Sources::add(std::string uri, std::filesystem::path path) {
  auto file = std::make_unique<SourceFile>();
  file->displayName = displayNameOf(path, uri);
  file->uri = std::move(uri);
  file->path = std::move(path);
  byUri_.emplace(file->uri, static_cast<std::uint32_t>(files_.size()));
  files_.push_back(std::move(file));
  return *files_.back();
}

std::optional<std::uint32_t> Sources::find(const std::string& uri) const {
  auto it = byUri_.find(uri);
  if (it == byUri_.end()) return std::nullopt;
  return it->second;
}

std::string Sources::where(const doc::Location& location) const {
  std::string name = location.file < files_.size() ? files_[location.file]->displayName : "?";
  if (location.line == 0) return name;  // a whole-file problem, e.g. a missing file
  return name + ":" + std::to_string(location.line) + ":" + std::to_string(location.column);
}

std::string Sources::address(const doc::Node& node) const {
  std::string name =
      node.location.file < files_.size() ? files_[node.location.file]->displayName : "?";
  return name + "#" + node.pointer();
}

}  // namespace tether::load
