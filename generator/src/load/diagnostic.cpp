#include "tether/load/diagnostic.h"

#include <algorithm>
#include <tuple>

#include "tether/load/sources.h"

namespace tether::load {

void Diagnostics::error(std::string code, const doc::Node& at, std::string message) {
  list_.push_back(Diagnostic{Severity::Error, std::move(code), std::move(message), at.location,
                             at.pointer()});
}

void Diagnostics::warning(std::string code, const doc::Node& at, std::string message) {
  list_.push_back(Diagnostic{Severity::Warning, std::move(code), std::move(message),
                             at.location, at.pointer()});
}

void Diagnostics::errorAtKey(std::string code, const doc::Member& member, std::string message) {
  list_.push_back(Diagnostic{Severity::Error, std::move(code), std::move(message), member.keyLocation,
                             member.value->pointer()});
}

std::size_t Diagnostics::errorCount() const {
  return static_cast<std::size_t>(std::count_if(list_.begin(), list_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::Error;
  }));
}

void Diagnostics::sort() {
  auto key = [](const Diagnostic& d) {
    return std::tie(d.location.file, d.location.line, d.location.column, d.code, d.message);
  };
  std::stable_sort(list_.begin(), list_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  list_.erase(std::unique(list_.begin(), list_.end(),
                          [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
              list_.end());
}

std::string format(const Diagnostic& diagnostic, const Sources& sources) {
  std::string out = sources.where(diagnostic.location);
  out += diagnostic.severity == Severity::Error ? ": error: " : ": warning: ";
  out += diagnostic.message;
  out += " [#" + diagnostic.pointer + "]";
  if (!diagnostic.code.empty()) out += " (" + diagnostic.code + ")";
  return out;
}

}  // namespace tether::load
