#include "tether/emit/files.h"

#include <algorithm>
#include <fstream>

namespace tether::emit {

namespace fs = std::filesystem;

bool sameContent(const fs::path& path, const std::string& text) {
  // Only a file of the same size is read (once, in one go): regenerating a large spec
  // compares hundreds of megabytes, and most changed files change size.
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size != text.size()) return false;
  std::ifstream in(path, std::ios::binary);
  std::string old(size, '\0');
  return in.read(old.data(), static_cast<std::streamsize>(size)) && old == text;
}

bool writeIfChanged(const fs::path& path, const std::string& text) {
  if (sameContent(path, text)) return true;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return static_cast<bool>(out);
}

std::vector<fs::path> writeValidatorFiles(const fs::path& out, std::span<const ValidatorSchema> schemas,
                                          const ValidatorEmitOptions& options, std::string_view stem,
                                          std::size_t units) {
  fs::create_directories(out);
  units = std::max<std::size_t>(units, 1);
  writeIfChanged(out / options.header, emitValidatorHeader(schemas, options));
  std::vector<fs::path> written;
  const std::size_t per_unit = (schemas.size() + units - 1) / units;
  for (std::size_t u = 0; u < units; ++u) {
    const std::size_t begin = std::min(schemas.size(), u * per_unit);
    const std::size_t end = std::min(schemas.size(), begin + per_unit);
    fs::path path = out / (std::string(stem) + "_" + std::to_string(u) + ".cpp");
    writeIfChanged(path, emitValidatorSource(schemas.subspan(begin, end - begin), options));
    written.push_back(path);
  }
  return written;
}

std::string entryPoints(std::string_view cpp_namespace, std::string_view name) {
  std::string ns(cpp_namespace), n(name);
  return "&" + ns + "::validate_" + n + ", &" + ns + "::evaluate_" + n;
}

}  // namespace tether::emit
