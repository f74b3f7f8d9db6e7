// What the corpus tests share: running `tether generate` on a spec and compiling what it
// wrote as one unit (-fsyntax-only -Wall -Wextra -Werror), with the log's tail on failure.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace tether::testing::corpus {

namespace fs = std::filesystem;

// A shell word.
inline std::string quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// The last `lines` lines of a file.
inline std::string tail(const fs::path& log, std::size_t lines) {
  std::ifstream in(log);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::ostringstream out;
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) out << all[i] << "\n";
  return out.str();
}

// `tether generate SPEC --cpp OUT/src --parts 1 [extra]`, its output appended to `log`;
// true when it exits 0.
inline bool generate(const std::string& tether, const fs::path& spec, const fs::path& out, const fs::path& log,
                     const std::string& extra = "") {
  std::string command = quote(tether) + " generate " + quote(spec.string()) + " --cpp " + quote((out / "src").string()) +
                        " --namespace corpus --parts 1 " + extra + " >> " + quote(log.string()) + " 2>&1";
  return std::system(command.c_str()) == 0;
}

// Compiles every .cpp of OUT/src as one unit (all.cpp includes them, so the runtime and
// models headers are parsed once); sets `files` to how many there are.
inline bool compileAll(const std::string& cxx, const std::string& includes, const fs::path& out, const fs::path& log,
                       std::size_t& files) {
  std::set<std::string> sources;  // sorted: the same unit every run
  for (const fs::directory_entry& entry : fs::directory_iterator(out / "src")) {
    if (entry.path().extension() == ".cpp" && entry.path().filename() != "all.cpp") {
      sources.insert(entry.path().filename().string());
    }
  }
  files = sources.size();
  {
    std::ofstream unit(out / "src" / "all.cpp");
    for (const std::string& source : sources) unit << "#include \"" << source << "\"\n";
  }
  std::string command = quote(cxx) + " -std=c++20 -fsyntax-only -Wall -Wextra -Werror " + includes + " " +
                        quote((out / "src" / "all.cpp").string()) + " >> " + quote(log.string()) + " 2>&1";
  return files > 0 && std::system(command.c_str()) == 0;
}

}  // namespace tether::testing::corpus
