// Helpers shared by the generator tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tether/load/loader.h"

namespace tether::testing {

inline std::filesystem::path fixture(const std::string& relative) {
  return std::filesystem::path(TETHER_FIXTURES) / relative;
}

// A scratch folder under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("tether-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::filesystem::path file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

 private:
  static int& counter() {
    static int value = 0;
    return value;
  }
  std::filesystem::path path_;
};

// All diagnostics, formatted, one a line (for failure messages).
inline std::string allDiagnostics(const load::LoadedSpec& spec) {
  std::string out;
  for (const auto& d : spec.diagnostics.list()) out += load::format(d, spec.sources) + "\n";
  return out;
}

}  // namespace tether::testing
