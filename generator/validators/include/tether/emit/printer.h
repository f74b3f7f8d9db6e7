// A small code printer in the manner of protobuf's io::Printer: text with $name$
// substitutions, indented by the printer, so emitters write consistently indented code
// without a template engine (mustache was the slowest part of emitting millions of lines)
// and without clang-format.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace tether::emit {

class Printer {
 public:
  using Vars = std::initializer_list<std::pair<std::string_view, std::string_view>>;

  // Appends `text`, each line prefixed by the current indentation (empty lines stay
  // empty), with every $name$ replaced by its value in `vars` ($$ is a dollar sign). A
  // name missing from `vars` is a defect of the emitter: std::logic_error.
  void print(std::string_view text, Vars vars = {});
  // Appends `text` as it is (no indentation, no substitution).
  void raw(std::string_view text) { out_ += text; }
  // Appends `text` indented like print() does (each line that starts in it), but with no
  // substitution: for text made elsewhere (a comment of the spec's prose), whose `$` are
  // its own.
  void verbatim(std::string_view text);

  void indent(int levels = 1) { indent_ += 2 * levels; }
  void outdent(int levels = 1) { indent_ -= 2 * levels; }
  // The current indentation, in spaces.
  int indentation() const { return indent_; }

  std::string& text() { return out_; }
  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  int indent_ = 0;
  bool at_line_start_ = true;
};

}  // namespace tether::emit
