// Findings about a spec, each pinned to a file, a line, a column and a JSON Pointer.
#pragma once

#include <string>
#include <vector>

#include "tether/doc/node.h"

namespace tether::load {

class Sources;

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  // A short stable identifier of the rule, e.g. "ref-unresolved".
  std::string code;
  std::string message;
  doc::Location location;
  // JSON Pointer of the node inside its own file ("" for the root).
  std::string pointer;
};

class Diagnostics {
 public:
  void error(std::string code, const doc::Node& at, std::string message);
  void warning(std::string code, const doc::Node& at, std::string message);
  // At a member's key (e.g. an unknown field), rather than at its value.
  void errorAtKey(std::string code, const doc::Member& member, std::string message);
  void add(Diagnostic diagnostic) { list_.push_back(std::move(diagnostic)); }

  const std::vector<Diagnostic>& list() const { return list_; }
  std::size_t errorCount() const;
  bool hasErrors() const { return errorCount() > 0; }
  bool empty() const { return list_.empty(); }

  // Sorted by file, line and column, with exact repeats removed.
  void sort();

 private:
  std::vector<Diagnostic> list_;
};

// "spec/paths/pets.yaml:12:5: error: message [#/get/responses] (code)"
std::string format(const Diagnostic& diagnostic, const Sources& sources);

}  // namespace tether::load
