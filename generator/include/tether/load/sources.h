// The set of source files a spec was loaded from. A Location's `file` indexes into it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "tether/doc/node.h"

namespace tether::load {

struct SourceFile {
  // The absolute URI the file is known by: file:///... or, for a mapped remote
  // reference, the http(s) URL it stands for.
  std::string uri;
  std::filesystem::path path;
  // How diagnostics name the file: relative to the working directory when possible.
  std::string displayName;
  doc::Arena arena;
  doc::Node* root = nullptr;
};

class Sources {
 public:
  SourceFile& add(std::string uri, std::filesystem::path path);
  std::size_t size() const { return files_.size(); }
  SourceFile& at(std::uint32_t index) { return *files_.at(index); }
  const SourceFile& at(std::uint32_t index) const { return *files_.at(index); }
  std::optional<std::uint32_t> find(const std::string& uri) const;

  // "file:line:col" of a location.
  std::string where(const doc::Location& location) const;
  // "file#/json/pointer" of a node.
  std::string address(const doc::Node& node) const;

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
  std::unordered_map<std::string, std::uint32_t> byUri_;
};

}  // namespace tether::load
