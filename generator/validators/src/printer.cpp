#include "tether/emit/printer.h"

#include <stdexcept>

namespace tether::emit {

namespace {

// Whether a $name$ at `at` in `text` stands in a // comment: its template line has "//"
// before it, outside a string literal (an even number of quotes before the slashes).
bool inComment(std::string_view text, std::size_t at) {
  std::size_t lineStart = text.rfind('\n', at);
  lineStart = lineStart == std::string_view::npos ? 0 : lineStart + 1;
  const std::string_view before = text.substr(lineStart, at - lineStart);
  const std::size_t slashes = before.find("//");
  if (slashes == std::string_view::npos) return false;
  std::size_t quotes = 0;
  for (std::size_t k = 0; k < slashes; ++k) quotes += before[k] == '"' ? 1 : 0;
  return quotes % 2 == 0;
}

// A value made safe for a // comment: a line break in it (\n, or a lone \r, which ends a
// line for the compiler too) would put the rest of the value into the code.
void appendCommentText(std::string& out, std::string_view value) {
  const std::size_t start = out.size();
  for (char c : value) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  while (out.size() > start && out.back() == '\\') out.pop_back();  // no line splice either
}

}  // namespace

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
        // Spec text (titles, paths, tag names, media types) lands in comments: it must not
        // end them.
        if (inComment(text, i)) {
          appendCommentText(out_, value);
        } else {
          out_.append(value);
        }
        found = true;
        break;
      }
      if (!found) throw std::logic_error("Printer: no value for $" + std::string(name) + "$");
    }
    i = end + 1;
  }
}

}  // namespace tether::emit
