#include "tether/codegen/cpp_types.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "same_types.h"
#include "tether/naming/namer.h"

namespace tether::codegen {

using ir::Type;
using ir::TypeId;
using ir::TypeKind;

namespace {

// An enum class: all values (but null) strings, or all integers. Other enums (numbers,
// booleans, mixed types) are spelled as their base type or nlohmann::json.
bool isEnumClass(const Type& type) {
  if (type.kind != TypeKind::Enum) return false;
  bool strings = false, integers = false;
  for (const ir::Json& value : type.enumValues) {
    if (value.is_null()) continue;
    if (value.is_string()) {
      strings = true;
    } else if (value.is_number_integer()) {
      integers = true;
    } else {
      return false;
    }
  }
  return strings != integers;
}

// Every type some declaration or operation can reach; the IR also keeps slots nothing
// refers to (a collapsed "oneOf: [X, null]"), which get no declaration.
std::vector<bool> reachable(const ir::Api& api) {
  std::vector<bool> seen(api.types.size(), false);
  std::vector<TypeId> stack;
  auto push = [&](TypeId id) {
    if (id == ir::kNoType || seen[static_cast<std::size_t>(id)]) return;
    seen[static_cast<std::size_t>(id)] = true;
    stack.push_back(id);
  };
  for (const Type& type : api.types) {
    if (type.named) push(type.id);
  }
  std::function<void(const ir::Operation&)> visitOperation = [&](const ir::Operation& op) {
    for (const ir::Parameter& p : op.parameters) push(p.type);
    if (op.requestBody) {
      for (const ir::MediaType& m : op.requestBody->contents) push(m.type);
    }
    for (const ir::Response& response : op.responses) {
      for (const ir::Header& h : response.headers) push(h.type);
      for (const ir::MediaType& m : response.contents) push(m.type);
    }
    for (const ir::Callback& callback : op.callbacks) {
      for (const ir::Operation& inner : callback.operations) visitOperation(inner);
    }
  };
  for (const ir::Operation& op : api.operations) visitOperation(op);
  for (const ir::Webhook& hook : api.webhooks) {
    for (const ir::Operation& op : hook.operations) visitOperation(op);
  }
  while (!stack.empty()) {
    const Type& type = api.type(stack.back());
    stack.pop_back();
    for (const ir::Field& field : type.fields) push(field.type);
    push(type.extraType);
    push(type.items);
    for (TypeId variant : type.variants) push(variant);
    if (type.discriminator) {
      for (const auto& entry : type.discriminator->mapping) push(entry.second);
    }
  }
  return seen;
}

}  // namespace

CppTypes::CppTypes(const ir::Api& api) : api_(api), decl_(api.types.size(), DeclKind::None) {
  std::vector<bool> used = reachable(api);
  for (const Type& type : api.types) {
    if (!used[index(type.id)]) continue;
    DeclKind kind = DeclKind::None;
    switch (type.kind) {
      case TypeKind::Object:
        kind = DeclKind::Struct;
        break;
      case TypeKind::OneOf:
      case TypeKind::AnyOf:
        kind = DeclKind::Union;
        break;
      case TypeKind::Enum:
        kind = isEnumClass(type) ? DeclKind::Enum : (type.named ? DeclKind::Alias : DeclKind::None);
        break;
      default:
        kind = type.named ? DeclKind::Alias : DeclKind::None;
        break;
    }
    decl_[index(type.id)] = kind;
    if (kind == DeclKind::Enum || kind == DeclKind::Alias) aliasNames_.insert(type.cppName);
  }
  std::vector<bool> mergeable(api.types.size(), false);
  for (const Type& type : api.types) {
    DeclKind kind = decl_[index(type.id)];
    mergeable[index(type.id)] = !type.named && (kind == DeclKind::Struct || kind == DeclKind::Union || kind == DeclKind::Enum);
  }
  same_ = sameTypes(api, mergeable);
  markInlineCycles();
  computeOrder();
}

// An inline array or map that contains itself through other inline arrays and maps (a
// $ref to an inline schema can do that) has no finite spelling: it is nlohmann::json.
void CppTypes::markInlineCycles() {
  opaque_.assign(api_.types.size(), false);
  std::vector<int> state(api_.types.size(), 0);
  for (const Type& start : api_.types) {
    TypeId id = start.id;
    std::vector<TypeId> chain;
    while (id != ir::kNoType && decl_[index(id)] == DeclKind::None && state[index(id)] == 0) {
      state[index(id)] = 1;
      chain.push_back(id);
      const Type& type = api_.type(id);
      id = type.kind == TypeKind::Array ? type.items : type.kind == TypeKind::Map ? type.extraType : ir::kNoType;
    }
    if (id != ir::kNoType && state[index(id)] == 1) opaque_[index(id)] = true;
    for (TypeId done : chain) state[index(done)] = 2;
  }
}

namespace {

std::string scalarExpr(const Type& type) {
  switch (type.kind) {
    case TypeKind::Null:
      return "std::nullptr_t";
    case TypeKind::Boolean:
      return "bool";
    case TypeKind::Integer:
      return type.format == "int32" ? "std::int32_t" : "std::int64_t";
    case TypeKind::Number:
      return "double";
    case TypeKind::String:
      return "std::string";
    default:
      return "nlohmann::json";
  }
}

std::string enumBaseExpr(const Type& type) {
  Type base;
  base.kind = type.enumBase;
  base.format = type.format;
  for (const ir::Json& value : type.enumValues) {
    bool fits = value.is_null() || (base.kind == TypeKind::String && value.is_string()) ||
                (base.kind == TypeKind::Integer && value.is_number_integer()) ||
                (base.kind == TypeKind::Number && value.is_number()) ||
                (base.kind == TypeKind::Boolean && value.is_boolean());
    if (!fits) return "nlohmann::json";
  }
  return scalarExpr(base);
}

}  // namespace

std::string CppTypes::aliasTarget(TypeId id) const {
  if (opaque_[index(id)]) return "nlohmann::json";
  const Type& type = api_.type(id);
  switch (type.kind) {
    case TypeKind::Array:
      return "std::vector<" + useExpr(type.items) + ">";
    case TypeKind::Map:
      return "std::map<std::string, " + useExpr(type.extraType) + ">";
    case TypeKind::Enum:
      return enumBaseExpr(type);
    default:
      return scalarExpr(type);
  }
}

std::string CppTypes::expr(TypeId id, bool nullable) const {
  if (id == ir::kNoType) return "nlohmann::json";
  std::string base = decl_[index(id)] == DeclKind::None ? aliasTarget(id) : qualifier_ + api_.type(sameAs(id)).cppName;
  bool admitsNull = base == "nlohmann::json" || base == "std::nullptr_t";
  if (nullable && !admitsNull) return "tether::model::Nullable<" + base + ">";
  return base;
}

bool CppTypes::needsBox(TypeId owner, TypeId target) const {
  if (target == ir::kNoType) return false;
  DeclKind kind = decl_[index(target)];
  if (kind != DeclKind::Struct && kind != DeclKind::Union) return false;
  return component_[index(sameAs(owner))] == component_[index(sameAs(target))];
}

std::string CppTypes::memberExpr(TypeId id, bool nullable, bool required, TypeId owner) const {
  std::string inner = needsBox(owner, id) ? "tether::model::Box<" + qualifier_ + api_.type(sameAs(id)).cppName + ">" : "";
  if (!inner.empty() && nullable) inner = "tether::model::Nullable<" + inner + ">";
  std::string e = inner.empty() ? expr(id, nullable) : inner;
  // tether::model::Optional, not std::optional: see tether/model/optional.h.
  return required ? e : "tether::model::Optional<" + e + ">";
}

std::vector<CppTypes::Enumerator> CppTypes::enumerators(TypeId id) const {
  naming::Scope scope({"Unknown"});
  std::vector<Enumerator> out;
  for (const ir::Json& value : api_.type(id).enumValues) {
    if (value.is_string()) {
      const std::string& text = value.get_ref<const std::string&>();
      std::string name = naming::identifier(text.empty() ? "empty" : text, naming::Case::Pascal);
      // An enumerator named like an alias of the namespace (an enum's `using X = X_::X`, or
      // a named non-object schema) shadows it: GCC's -Wshadow warns, and the alias cannot be
      // named unqualified inside the enum's holder. (Struct names are not typedef-names:
      // no warning, and renaming would cost users an obvious name.)
      if (aliasNames_.count(name) != 0) name += "Value";
      out.push_back({scope.claimExact(name), value});
    } else if (value.is_number_integer()) {
      // 3 -> N3, -3 -> Minus3 (the namer drops the sign).
      std::string text = value.dump();
      if (text[0] == '-') text = "minus " + text.substr(1);
      out.push_back({scope.claim(text, naming::Case::Pascal), value});
    }
  }
  return out;
}

// What a declaration needs before it: the types it holds by value (complete), and the
// aliases it mentions anywhere (an alias must be declared before it is named at all).
void CppTypes::collectValueDeps(TypeId id, std::vector<TypeId>& deps) const {
  // byValue: the use needs a complete type (a member, an optional, a variant alternative).
  std::function<void(TypeId, bool)> mention = [&](TypeId t, bool byValue) {
    if (t == ir::kNoType) return;
    t = sameAs(t);
    DeclKind kind = decl_[index(t)];
    const Type& type = api_.type(t);
    if (kind == DeclKind::Alias) {
      deps.push_back(t);
    } else if (kind == DeclKind::Struct || kind == DeclKind::Union) {
      if (byValue) deps.push_back(t);
    } else if (kind == DeclKind::None && !opaque_[index(t)]) {
      if (type.kind == TypeKind::Array) mention(type.items, false);
      if (type.kind == TypeKind::Map) mention(type.extraType, false);
    }
  };
  if (opaque_[index(id)]) return;
  if (sameAs(id) != id) {
    deps.push_back(sameAs(id));  // an alias of the declaration it shares
    return;
  }
  const Type& type = api_.type(id);
  switch (decl_[index(id)]) {
    case DeclKind::Struct:
      for (const ir::Field& field : type.fields) {
        if (!needsBox(id, field.type)) mention(field.type, true);
      }
      if (type.extra == ir::ExtraProperties::Typed) mention(type.extraType, false);
      break;
    case DeclKind::Union:
      for (TypeId variant : type.variants) {
        if (!needsBox(id, variant)) mention(variant, true);
      }
      break;
    case DeclKind::Alias:
      if (type.kind == TypeKind::Array) mention(type.items, false);
      if (type.kind == TypeKind::Map) mention(type.extraType, false);
      break;
    default:
      break;
  }
}

void CppTypes::computeOrder() {
  const std::size_t n = api_.types.size();
  // 1. Components of the by-value containment graph (Tarjan, iterative): a member whose
  //    type is in its owner's component is boxed, which leaves the graph acyclic.
  std::vector<std::vector<TypeId>> edges(n);
  auto holds = [&](TypeId owner, TypeId t) {
    if (t == ir::kNoType) return;
    DeclKind kind = decl_[index(t)];
    if (kind == DeclKind::Struct || kind == DeclKind::Union) edges[index(owner)].push_back(sameAs(t));
  };
  for (const Type& type : api_.types) {
    if (sameAs(type.id) != type.id) continue;  // declared by the type it is the same as
    DeclKind kind = decl_[index(type.id)];
    if (kind == DeclKind::Struct) {
      for (const ir::Field& field : type.fields) holds(type.id, field.type);
    } else if (kind == DeclKind::Union) {
      for (TypeId variant : type.variants) holds(type.id, variant);
    }
  }
  component_.assign(n, -1);
  std::vector<int> low(n, 0), order(n, -1);
  std::vector<bool> onStack(n, false);
  std::vector<TypeId> stack;
  int counter = 0, components = 0;
  for (std::size_t root = 0; root < n; ++root) {
    if (order[root] != -1) continue;
    std::vector<std::pair<TypeId, std::size_t>> work{{static_cast<TypeId>(root), 0}};
    order[root] = low[root] = counter++;
    stack.push_back(static_cast<TypeId>(root));
    onStack[root] = true;
    while (!work.empty()) {
      auto& [node, next] = work.back();
      std::size_t u = index(node);
      if (next < edges[u].size()) {
        std::size_t v = index(edges[u][next++]);
        if (order[v] == -1) {
          order[v] = low[v] = counter++;
          stack.push_back(static_cast<TypeId>(v));
          onStack[v] = true;
          work.push_back({static_cast<TypeId>(v), 0});
        } else if (onStack[v]) {
          low[u] = std::min(low[u], order[v]);
        }
        continue;
      }
      if (low[u] == order[u]) {
        // A single node is its own component unless it holds itself.
        bool self = std::find(edges[u].begin(), edges[u].end(), node) != edges[u].end();
        std::size_t size = 0;
        TypeId member;
        do {
          member = stack.back();
          stack.pop_back();
          onStack[index(member)] = false;
          component_[index(member)] = components;
          ++size;
        } while (member != node);
        if (size == 1 && !self) component_[u] = -2 - static_cast<int>(u);  // unique, never shared
        ++components;
      }
      TypeId finished = node;
      work.pop_back();
      if (!work.empty()) {
        std::size_t parent = index(work.back().first);
        low[parent] = std::min(low[parent], low[index(finished)]);
      }
    }
  }
  // 2. Declarations in dependency order (depth-first, post-order, in IR order). Enums
  //    have no dependencies. Values are boxed, so only an alias can close a cycle: one
  //    that mentions itself (a recursive array or map with no struct on the cycle) cannot
  //    be spelled in C++, so it becomes nlohmann::json and the order is computed again.
  while (!orderOnce()) {
  }
}

bool CppTypes::orderOnce() {
  const std::size_t n = api_.types.size();
  order_.clear();
  std::vector<int> state(n, 0);  // 0 new, 1 in progress, 2 done
  for (std::size_t root = 0; root < n; ++root) {
    if (decl_[root] == DeclKind::Enum) {
      order_.push_back(static_cast<TypeId>(root));
      state[root] = 2;
    }
  }
  for (std::size_t root = 0; root < n; ++root) {
    if (decl_[root] == DeclKind::None || state[root] != 0) continue;
    std::vector<std::pair<TypeId, std::vector<TypeId>>> work;
    auto enter = [&](TypeId id) {
      state[index(id)] = 1;
      std::vector<TypeId> deps;
      collectValueDeps(id, deps);
      std::reverse(deps.begin(), deps.end());
      work.push_back({id, std::move(deps)});
    };
    enter(static_cast<TypeId>(root));
    while (!work.empty()) {
      TypeId node = work.back().first;
      std::vector<TypeId>& deps = work.back().second;
      if (!deps.empty()) {
        TypeId dep = deps.back();
        deps.pop_back();
        if (state[index(dep)] == 0) {
          enter(dep);
        } else if (state[index(dep)] == 1) {
          for (auto it = work.rbegin(); it != work.rend(); ++it) {
            if (decl_[index(it->first)] == DeclKind::Alias) {
              opaque_[index(it->first)] = true;
              if (it->first == dep) break;
            }
          }
          return false;
        }
        continue;
      }
      state[index(node)] = 2;
      order_.push_back(node);
      work.pop_back();
    }
  }
  return true;
}

std::string cppString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '?':
        out += "\\?";  // no trigraphs
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          static const char* hex = "0123456789abcdef";
          out += "\\x";
          out += hex[c >> 4];
          out += hex[c & 15];
          out += "\"\"";  // end the hex escape before a following hex digit
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string commentText(std::string_view text) {
  std::string out;
  for (char c : text) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  while (!out.empty() && (out.back() == ' ' || out.back() == '\\')) out.pop_back();
  return out;
}

std::string commentLines(const std::string& text, const std::string& indent) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    // A line ends at \n, \r\n or a lone \r: compilers end a // comment at each of them
    // (vtex's specs write their descriptions with lone CRs).
    std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string::npos) end = text.size();
    std::string line = commentText(std::string_view(text).substr(start, end - start));
    if (end + 1 < text.size() && text[end] == '\r' && text[end + 1] == '\n') ++end;
    out += indent + (line.empty() ? "//" : "// " + line) + "\n";
    start = end + 1;
  }
  // Trailing empty comment lines go; a line whose text ends in "//" (a URL, a path) stays.
  const std::string empty = indent + "//\n";
  while (out.ends_with(empty) && (out.size() == empty.size() || out[out.size() - empty.size() - 1] == '\n')) {
    out.resize(out.size() - empty.size());
  }
  return out;
}

}  // namespace tether::codegen
