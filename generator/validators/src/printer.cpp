#include "tether/emit/printer.h"

#include <stdexcept>

namespace tether::emit {

void Printer::verbatim(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\n') {
      out_ += '\n';
      at_line_start_ = true;
      ++i;
      continue;
    }
    if (at_line_start_) {
      out_.append(static_cast<std::size_t>(indent_), ' ');
      at_line_start_ = false;
    }
    // Copy up to the end of the line in one go.
    std::size_t next = text.find('\n', i);
    if (next == std::string_view::npos) next = text.size();
    out_.append(text.substr(i, next - i));
    i = next;
  }
}

void Printer::print(std::string_view text, Vars vars) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '$') {
      std::size_t next = text.find('$', i);
      if (next == std::string_view::npos) next = text.size();
      verbatim(text.substr(i, next - i));
      i = next;
      continue;
    }
    if (at_line_start_) {
      out_.append(static_cast<std::size_t>(indent_), ' ');
      at_line_start_ = false;
    }
    std::size_t end = text.find('$', i + 1);
    if (end == std::string_view::npos) throw std::logic_error("Printer: unterminated $ in \"" + std::string(text) + "\"");
    std::string_view name = text.substr(i + 1, end - i - 1);
    if (name.empty()) {
      out_ += '$';
    } else {
      bool found = false;
      for (const auto& [key, value] : vars) {
        if (key != name) continue;
        out_.append(value);
        found = true;
        break;
      }
      if (!found) throw std::logic_error("Printer: no value for $" + std::string(name) + "$");
    }
    i = end + 1;
  }
}

}  // namespace tether::emit
