// The C++ view of the IR's type table, shared by every C++ emitter (models, server,
// client): which types get a declaration, what C++ type expression a use of a type is, and
// an order of declarations in which everything held by value is complete.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "tether/ir/model.h"

namespace tether::codegen {

enum class DeclKind {
  None,    // spelled inline where used (std::string, std::vector<...>)
  Struct,  // an object schema
  Union,   // oneOf / anyOf: a struct holding a std::variant
  Enum,    // enum class (string or integer values)
  Alias,   // a named non-object schema: using Name = <expression>;
};

class CppTypes {
 public:
  explicit CppTypes(const ir::Api& api);

  DeclKind declKind(ir::TypeId id) const { return decl_[index(id)]; }
  // The expression for a use of `id`; `nullable` wraps it in tether::model::Nullable
  // (unless null is already a value of it). Declared types are spelled by name.
  std::string expr(ir::TypeId id, bool nullable) const;
  // The same, for a use that closes a reference cycle: structs and unions boxed.
  std::string memberExpr(ir::TypeId id, bool nullable, bool required, ir::TypeId owner) const;
  // The expression a use of `id` has when its own nullability applies (items, values).
  std::string useExpr(ir::TypeId id) const { return expr(id, api_.type(id).nullable); }
  // The right-hand side of an Alias declaration.
  std::string aliasTarget(ir::TypeId id) const;
  // Declarations (Struct, Union, Enum, Alias) in an order that compiles.
  const std::vector<ir::TypeId>& order() const { return order_; }
  // The enum's values that are enumerators (non-null), and their C++ names.
  struct Enumerator {
    std::string name;
    ir::Json value;
  };
  std::vector<Enumerator> enumerators(ir::TypeId id) const;
  // Whether a use of `target` inside `owner` needs a Box (it would contain itself).
  bool needsBox(ir::TypeId owner, ir::TypeId target) const;
  // The declaration `id` shares: an inline schema identical to an earlier one (same
  // members, values and alternatives, down to the types they use) is declared once, and
  // its name becomes an alias of that one's. Uses are spelled with the shared name. Itself
  // for every other type.
  ir::TypeId sameAs(ir::TypeId id) const { return id == ir::kNoType ? id : same_[index(id)]; }

  const ir::Api& api() const { return api_; }
  // Spell declared types with this prefix ("::acme::"), for code in another namespace
  // (server and client types could otherwise hide a model of the same name).
  void setQualifier(std::string qualifier) { qualifier_ = std::move(qualifier); }

 private:
  std::size_t index(ir::TypeId id) const { return static_cast<std::size_t>(id); }
  ir::TypeId resolveAlias(ir::TypeId id) const;
  void mergeIdenticalInline(const std::vector<bool>& used);
  void markInlineCycles();
  void computeOrder();
  bool orderOnce();
  void collectValueDeps(ir::TypeId id, std::vector<ir::TypeId>& deps) const;

  const ir::Api& api_;
  std::vector<DeclKind> decl_;
  std::set<std::string> aliasNames_;  // the C++ names declared with `using` (enums, aliases)
  std::vector<bool> opaque_;  // spelled nlohmann::json: no finite C++ spelling exists
  std::vector<ir::TypeId> same_;  // sameAs()
  std::vector<int> component_;  // strongly connected component of the "contains" graph
  std::vector<ir::TypeId> order_;
  std::string qualifier_;
};

// A C++ string literal for `text` (escapes, and no trigraph or universal-name surprises).
std::string cppString(const std::string& text);
// `text` as the body of // comments: one line per line, trailing spaces trimmed, and
// nothing that ends a comment or starts a trigraph.
std::string commentLines(const std::string& text, const std::string& indent = "");
// `text` made safe inside one // comment line: every line break (\n, \r: a lone CR ends a
// line for the compiler too) and other control character becomes a space, and a trailing
// backslash (a line splice) goes. For spec text in single-line comments: titles, paths.
std::string commentText(std::string_view text);

}  // namespace tether::codegen
