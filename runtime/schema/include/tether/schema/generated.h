// Support for validators generated from a compiled Program (see generator/validators):
// the evaluation context and one helper per opcode. Generated code is a set of functions,
// one per Block, templated on the mode (D = detailed), that call these helpers with their
// constants inlined. Every helper mirrors the runtime evaluator (evaluator.cpp) exactly, so
// both back ends accept the same instances and report the same basic-output errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/schema/annotations.h"
#include "tether/schema/evaluator.h"
#include "tether/schema/frames.h"
#include "tether/schema/options.h"
#include "tether/schema/program.h"
#include "tether/schema/regex.h"
#include "tether/schema/support.h"

namespace tether::schema::gen {

using json = nlohmann::json;

// Where a keyword sits: relative to its schema, and absolutely.
struct Loc {
  const char* relative;
  const char* absolute;
};

template <bool D>
class Ctx;
template <bool D>
using Fn = bool (*)(Ctx<D>&, const json&, Annotations*);

// A child schema: its keyword path from the parent schema and its function.
template <bool D>
struct Kid {
  const char* path;
  Fn<D> fn;
};
// A child keyed by a property name (properties, dependentSchemas); sorted by name.
template <bool D>
struct NamedKid {
  const char* name;
  const char* path;
  Fn<D> fn;
};
using RegexRef = const Regex& (*)();
// A child keyed by a pattern (patternProperties).
template <bool D>
struct PatternKid {
  RegexRef regex;
  const char* path;
  Fn<D> fn;
};
// The $dynamicAnchor `anchor` declared by resource `resource`, or nullptr.
template <bool D>
using DynamicLookup = Fn<D> (*)(std::uint32_t resource, std::string_view anchor);

// Compiles a pattern the emitter already validated (throws std::logic_error otherwise).
inline std::shared_ptr<const Regex> regex(std::string_view source) {
  std::string error;
  auto compiled = Regex::compile(source, error);
  if (!compiled) throw std::logic_error("generated validator: invalid pattern: " + error);
  return compiled;
}

inline bool sameKey(const std::string& key, const char* literal, std::size_t size) {
  return key.size() == size && std::memcmp(key.data(), literal, size) == 0;
}

template <bool D>
class Ctx {
 public:
  Ctx(const EvaluateOptions& options, std::vector<OutputUnit>* errors, bool dynamic_scope)
      : options_(options), errors_(errors), frames_(options.max_depth, dynamic_scope) {}

  const EvaluateOptions& options() const { return options_; }
  bool exceeded() const { return frames_.exceeded(); }
  // The instance the evaluation started at (readOnly/writeOnly apply below it only).
  void setRoot(const json& root) { root_ = &root; }
  bool atRoot(const json& v) const { return &v == root_; }
  const std::vector<std::uint32_t>& scope() const { return frames_.scope(); }

  template <typename M>
  bool error(const Loc& loc, M&& message) {
    if constexpr (D)
      errors_->push_back(OutputUnit{instance_path_, keyword_path_ + loc.relative, loc.absolute, message()});
    return false;
  }
  // After a failed keyword: the detailed mode goes on (unless the depth limit was hit).
  bool more() const { return D && !exceeded(); }
  std::size_t mark() const {
    if constexpr (D) return errors_->size();
    return 0;
  }
  void rollback(std::size_t m) {
    if constexpr (D) errors_->resize(m);
  }

  class Guard {
   public:
    Guard(std::string* path, std::size_t size) : path_(path), size_(size) {}
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard() {
      if (path_) path_->resize(size_);
    }

   private:
    std::string* path_;
    std::size_t size_;
  };
  Guard keyword(const char* path) {
    if constexpr (!D) return Guard{nullptr, 0};
    std::size_t old = keyword_path_.size();
    keyword_path_ += path;
    return Guard{&keyword_path_, old};
  }
  Guard member(std::string_view key) {
    if constexpr (!D) return Guard{nullptr, 0};
    std::size_t old = instance_path_.size();
    support::appendPointerToken(instance_path_, key);
    return Guard{&instance_path_, old};
  }
  Guard index(std::size_t i) {
    if constexpr (!D) return Guard{nullptr, 0};
    std::size_t old = instance_path_.size();
    instance_path_ += '/';
    instance_path_ += std::to_string(i);
    return Guard{&instance_path_, old};
  }

  // The frame of one schema: depth limit, dynamic scope, annotations of unevaluated*.
  // `collects` and `dynamic_scope` (the Program uses $dynamicRef) are constants of the
  // generated call: in the fast mode most blocks keep only the depth, and `body` is then
  // called from one place (the compiler inlines it).
  template <typename Body>
  [[gnu::always_inline]] bool block(std::uint32_t resource, bool collects, bool dynamic_scope, const json& v,
                                    Annotations* parent, Body&& body) {
    if constexpr (!D) {
      if (!collects && !dynamic_scope) {
        if (!frames_.push()) return false;
        const bool ok = body(parent);
        frames_.pop();
        return ok;
      }
    }
    return frames_.enter(resource, collects, v, parent, D ? &instance_path_ : nullptr, D ? &keyword_path_ : nullptr,
                         body);
  }

  // The end of an evaluation: the depth error, when the limit was hit.
  bool finish(bool ok) { return frames_.finish(ok, D ? errors_ : nullptr); }

 private:
  const EvaluateOptions& options_;
  std::vector<OutputUnit>* errors_;
  Frames frames_;
  std::string instance_path_;
  std::string keyword_path_;
  const json* root_ = nullptr;
};

// Entry points used by the generated validate_<name>/evaluate_<name>.
template <typename Root>
bool runFast(const json& v, const EvaluateOptions& options, bool dynamic_scope, Root root) {
  Ctx<false> c(options, nullptr, dynamic_scope);
  c.setRoot(v);
  return c.finish(root(c, v, nullptr));
}
template <typename Root>
void runDetailed(const json& v, Result& result, const EvaluateOptions& options, bool dynamic_scope, Root root) {
  result = Result{};
  Ctx<true> c(options, &result.errors, dynamic_scope);
  c.setRoot(v);
  result.valid = c.finish(root(c, v, nullptr));
  if (!result.valid && result.errors.empty()) result.errors.push_back(OutputUnit{"", "", "", "validation failed"});
}

// --- applying children ------------------------------------------------------------------

template <bool D>
bool inPlace(Ctx<D>& c, const Kid<D>& k, const json& v, Annotations* ann) {
  auto g = c.keyword(k.path);
  return k.fn(c, v, ann);
}
template <bool D>
bool toMember(Ctx<D>& c, const char* path, Fn<D> fn, std::string_view key, const json& value) {
  auto g = c.keyword(path);
  auto h = c.member(key);
  return fn(c, value, nullptr);
}
template <bool D>
bool toItem(Ctx<D>& c, const Kid<D>& k, std::size_t i, const json& value) {
  auto g = c.keyword(k.path);
  auto h = c.index(i);
  return k.fn(c, value, nullptr);
}

// --- assertions -------------------------------------------------------------------------

template <bool D>
bool fail(Ctx<D>& c, const Loc& loc) {
  return c.error(loc, [] { return support::msgFalse(); });
}
template <bool D>
bool type(Ctx<D>& c, const Loc& loc, std::uint32_t mask, const json& v) {
  if (support::typeBits(v) & mask) return true;
  return c.error(loc, [&] { return support::msgType(mask, v); });
}
template <bool D>
bool constant(Ctx<D>& c, const Loc& loc, const json& k, const json& v) {
  if (support::jsonEqual(v, k)) return true;
  return c.error(loc, [&] { return support::msgConst(k); });
}
// const of a string, inlined.
template <bool D>
bool constantString(Ctx<D>& c, const Loc& loc, const char* s, std::size_t n, const json& v) {
  if (v.is_string() && sameKey(v.get_ref<const std::string&>(), s, n)) return true;
  return c.error(loc, [&] { return support::msgConst(json(std::string(s, n))); });
}
template <bool D>
bool enumeration(Ctx<D>& c, const Loc& loc, const json& values, const json& v) {
  for (const json& candidate : values)
    if (candidate.type() == v.type() || (candidate.is_number() && v.is_number()))
      if (support::jsonEqual(v, candidate)) return true;
  return c.error(loc, [&] { return support::msgEnum(v); });
}
template <bool D>
bool enumFailed(Ctx<D>& c, const Loc& loc, const json& v) {
  return c.error(loc, [&] { return support::msgEnum(v); });
}
template <bool D>
bool multipleOf(Ctx<D>& c, const Loc& loc, const json& divisor, const json& v) {
  if (!v.is_number() || support::isMultipleOf(v, divisor)) return true;
  return c.error(loc, [&] { return support::msgMultipleOf(v, divisor); });
}
template <bool D>
bool bound(Ctx<D>& c, const Loc& loc, Op op, const json& limit, const json& v) {
  if (!v.is_number()) return true;
  int cmp = support::compareNumbers(v, limit);
  bool ok = op == Op::Minimum ? cmp >= 0 : op == Op::Maximum ? cmp <= 0 : op == Op::ExclusiveMinimum ? cmp > 0 : cmp < 0;
  if (ok) return true;
  return c.error(loc, [&] { return support::msgBound(op, v, limit); });
}
template <bool D>
bool minLength(Ctx<D>& c, const Loc& loc, std::uint32_t n, const json& v) {
  if (!v.is_string() || support::codePointCount(v.get_ref<const std::string&>()) >= n) return true;
  return c.error(loc, [&] { return support::msgCount(Op::MinLength, n); });
}
template <bool D>
bool maxLength(Ctx<D>& c, const Loc& loc, std::uint32_t n, const json& v) {
  if (!v.is_string() || v.get_ref<const std::string&>().size() <= n ||
      support::codePointCount(v.get_ref<const std::string&>()) <= n)
    return true;
  return c.error(loc, [&] { return support::msgCount(Op::MaxLength, n); });
}
template <bool D>
bool pattern(Ctx<D>& c, const Loc& loc, const Regex& re, const json& v) {
  if (!v.is_string()) return true;
  MatchResult m = re.search(v.get_ref<const std::string&>());
  if (m == MatchResult::Match) return true;
  return c.error(loc, [&] { return support::msgPattern(re.source(), m == MatchResult::LimitExceeded); });
}
template <bool D>
bool format(Ctx<D>& c, const Loc& loc, Format f, const json& v) {
  if (!v.is_string() || !c.options().assert_formats || support::checkFormat(f, v.get_ref<const std::string&>()))
    return true;
  return c.error(loc, [&] { return support::msgFormat(f); });
}
template <bool D>
bool count(Ctx<D>& c, const Loc& loc, Op op, std::uint32_t n, const json& v) {
  const bool items = op == Op::MinItems || op == Op::MaxItems;
  if (items ? !v.is_array() : !v.is_object()) return true;
  const bool min = op == Op::MinItems || op == Op::MinProperties;
  if (min ? v.size() >= n : v.size() <= n) return true;
  return c.error(loc, [&] { return support::msgCount(op, n); });
}
template <bool D>
bool uniqueItems(Ctx<D>& c, const Loc& loc, const json& v) {
  if (!v.is_array()) return true;
  for (std::size_t i = 0; i < v.size(); ++i)
    for (std::size_t j = i + 1; j < v.size(); ++j)
      if (support::jsonEqual(v[i], v[j])) return c.error(loc, [&] { return support::msgUniqueItems(i, j); });
  return true;
}
template <bool D>
bool required(Ctx<D>& c, const Loc& loc, std::span<const char* const> names, const json& v) {
  if (!v.is_object()) return true;
  bool ok = true;
  for (const char* name : names) {
    if (v.find(name) != v.end()) continue;
    ok = c.error(loc, [&] { return support::msgRequired(name); });
    if (!D) return false;
  }
  return ok;
}
template <bool D>
bool dependentRequired(Ctx<D>& c, const Loc& loc, const char* trigger, std::span<const char* const> names,
                       const json& v) {
  if (!v.is_object() || v.find(trigger) == v.end()) return true;
  bool ok = true;
  for (const char* name : names) {
    if (v.find(name) != v.end()) continue;
    ok = c.error(loc, [&] { return support::msgDependentRequired(trigger, name); });
    if (!D) return false;
  }
  return ok;
}
// readOnly and writeOnly are about properties (OpenAPI: "relevant only for Schema
// properties definitions"): a request body or parameter whose own schema is readOnly, such
// as a path parameter that $refs a read-only id, is not refused.
template <bool D>
bool readOnly(Ctx<D>& c, const Loc& loc, const json& v) {
  if (c.options().direction != Direction::Request || c.atRoot(v)) return true;
  return c.error(loc, [] { return support::msgReadOnly(); });
}
template <bool D>
bool writeOnly(Ctx<D>& c, const Loc& loc, const json& v) {
  if (c.options().direction != Direction::Response || c.atRoot(v)) return true;
  return c.error(loc, [] { return support::msgWriteOnly(); });
}
template <bool D>
bool content(Ctx<D>& c, const Loc& loc, bool base64, bool is_json, const json& v) {
  if (!v.is_string() || support::checkContent(base64, is_json, v.get_ref<const std::string&>())) return true;
  return c.error(loc, [] { return support::msgContent(); });
}

// --- applicators ------------------------------------------------------------------------

template <bool D>
bool properties(Ctx<D>& c, std::span<const NamedKid<D>> kids, const json& v, Annotations* ann) {
  if (!v.is_object()) return true;
  bool ok = true;
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& key = it.key();
    // kids are sorted by name (byte order), like the instance's keys.
    std::size_t lo = 0, hi = kids.size();
    while (lo < hi) {
      std::size_t mid = (lo + hi) / 2;
      if (std::string_view(kids[mid].name) < std::string_view(key)) lo = mid + 1;
      else hi = mid;
    }
    if (lo == kids.size() || std::string_view(kids[lo].name) != std::string_view(key)) continue;
    if (ann) ann->properties.push_back(key);
    if (!toMember(c, kids[lo].path, kids[lo].fn, key, *it)) {
      ok = false;
      if (!D) return false;
    }
  }
  return ok;
}
template <bool D>
bool patternProperties(Ctx<D>& c, const Loc& loc, std::span<const PatternKid<D>> kids, const json& v,
                       Annotations* ann) {
  if (!v.is_object()) return true;
  bool ok = true;
  for (auto it = v.begin(); it != v.end(); ++it) {
    for (const PatternKid<D>& k : kids) {
      MatchResult m = k.regex().search(it.key());
      if (m == MatchResult::NoMatch) continue;
      if (m == MatchResult::LimitExceeded) {
        ok = c.error(loc, [&] { return support::msgPattern(k.regex().source(), true); });
        if (!D) return false;
        continue;
      }
      if (ann) ann->properties.push_back(it.key());
      if (!toMember(c, k.path, k.fn, it.key(), *it)) {
        ok = false;
        if (!D) return false;
      }
    }
  }
  return ok;
}
template <bool D>
bool additionalProperties(Ctx<D>& c, std::span<const char* const> declared, std::span<const RegexRef> patterns,
                          const Kid<D>& k, const json& v, Annotations* ann) {
  if (!v.is_object()) return true;
  bool ok = true;
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& key = it.key();
    bool known = false;
    for (const char* name : declared)
      if (key == name) { known = true; break; }
    if (known) continue;
    for (RegexRef r : patterns)
      if (r().search(key) != MatchResult::NoMatch) { known = true; break; }
    if (known) continue;
    if (ann) ann->properties.push_back(key);
    if (!toMember(c, k.path, k.fn, key, *it)) {
      ok = false;
      if (!D) return false;
    }
  }
  return ok;
}
template <bool D>
bool propertyNames(Ctx<D>& c, const Kid<D>& k, const json& v) {
  if (!v.is_object()) return true;
  bool ok = true;
  for (auto it = v.begin(); it != v.end(); ++it) {
    json name(it.key());
    auto g = c.keyword(k.path);
    auto h = c.member(it.key());
    if (!k.fn(c, name, nullptr)) {
      ok = false;
      if (!D) return false;
    }
  }
  return ok;
}
template <bool D>
bool prefixItems(Ctx<D>& c, std::span<const Kid<D>> kids, const json& v, Annotations* ann) {
  if (!v.is_array()) return true;
  std::size_t n = std::min<std::size_t>(v.size(), kids.size());
  if (ann) ann->item_prefix = std::max(ann->item_prefix, n);
  bool ok = true;
  for (std::size_t i = 0; i < n; ++i) {
    if (!toItem(c, kids[i], i, v[i])) {
      ok = false;
      if (!D) return false;
    }
  }
  return ok;
}
template <bool D>
bool items(Ctx<D>& c, std::uint32_t first, const Kid<D>& k, const json& v, Annotations* ann) {
  if (!v.is_array()) return true;
  if (ann && v.size() > first) ann->all_items = true;
  bool ok = true;
  for (std::size_t i = first; i < v.size(); ++i) {
    if (!toItem(c, k, i, v[i])) {
      ok = false;
      if (!D) return false;
    }
  }
  return ok;
}
// The fast mode's `items` with the item's schema inlined by the caller (`each`), as the
// runtime evaluator's Op::Items: leaves decided in place, other schemas called directly.
template <typename Each>
[[gnu::always_inline]] inline bool eachItem(std::uint32_t first, const json& v, Annotations* ann, Each&& each) {
  if (!v.is_array()) return true;
  const json::array_t& array = *v.get_ptr<const json::array_t*>();
  if (ann && array.size() > first) ann->all_items = true;
  for (std::size_t i = first; i < array.size(); ++i)
    if (!each(array[i])) return false;
  return true;
}
template <bool D>
bool contains(Ctx<D>& c, const Loc& loc, std::uint32_t min, std::uint32_t max, const Kid<D>& k, const json& v,
              Annotations* ann) {
  if (!v.is_array()) return true;
  std::size_t matches = 0;
  std::size_t m = c.mark();
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (toItem(c, k, i, v[i])) {
      ++matches;
      if (ann) ann->items.push_back(i);
      else if (max == kNone && matches >= min) break;
    }
    if (c.exceeded()) return false;
  }
  c.rollback(m);
  if (matches < min) return c.error(loc, [&] { return support::msgContains(matches, min, true); });
  if (max != kNone && matches > max) return c.error(loc, [&] { return support::msgContains(matches, max, false); });
  return true;
}
template <bool D>
bool unevaluatedItems(Ctx<D>& c, const Kid<D>& k, const json& v, Annotations* ann) {
  if (!v.is_array()) return true;
  bool ok = true;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (ann && ann->hasItem(i)) continue;
    if (!toItem(c, k, i, v[i])) {
      ok = false;
      if (!D) return false;
    }
  }
  if (ann) ann->all_items = true;
  return ok;
}
template <bool D>
bool unevaluatedProperties(Ctx<D>& c, const Kid<D>& k, const json& v, Annotations* ann) {
  if (!v.is_object()) return true;
  bool ok = true;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (ann && ann->hasProperty(it.key())) continue;
    if (!toMember(c, k.path, k.fn, it.key(), *it)) {
      ok = false;
      if (!D) return false;
    }
  }
  if (ann) ann->all_properties = true;
  return ok;
}
template <bool D>
bool allOf(Ctx<D>& c, std::span<const Kid<D>> kids, const json& v, Annotations* ann) {
  bool ok = true;
  for (const Kid<D>& k : kids) {
    if (!inPlace(c, k, v, ann)) {
      ok = false;
      if (!D) return false;
    }
  }
  return ok;
}
template <bool D>
bool anyOf(Ctx<D>& c, const Loc& loc, std::span<const Kid<D>> kids, const json& v, Annotations* ann) {
  std::size_t m = c.mark();
  bool any = false;
  for (const Kid<D>& k : kids) {
    if (ann) {
      Annotations branch;
      if (inPlace(c, k, v, &branch)) {
        any = true;
        ann->merge(branch);
      }
    } else if (inPlace(c, k, v, nullptr)) {
      any = true;
      if (!D) break;
    }
    if (c.exceeded()) return false;
  }
  if (any) {
    c.rollback(m);
    return true;
  }
  return c.error(loc, [] { return support::msgAnyOf(); });
}
template <bool D>
bool oneOf(Ctx<D>& c, const Loc& loc, std::span<const Kid<D>> kids, const json& v, Annotations* ann) {
  std::size_t m = c.mark();
  std::size_t passed = 0;
  Annotations chosen;
  for (const Kid<D>& k : kids) {
    Annotations branch;
    if (inPlace(c, k, v, ann ? &branch : nullptr)) {
      if (++passed == 1 && ann) chosen = std::move(branch);
      if (passed > 1 && !D) break;
    }
    if (c.exceeded()) return false;
  }
  if (passed == 1) {
    c.rollback(m);
    if (ann) ann->merge(chosen);
    return true;
  }
  if (passed > 1) c.rollback(m);
  return c.error(loc, [&] { return support::msgOneOf(passed); });
}
template <bool D>
bool not_(Ctx<D>& c, const Loc& loc, const Kid<D>& k, const json& v) {
  std::size_t m = c.mark();
  bool inner = inPlace(c, k, v, nullptr);
  c.rollback(m);
  if (c.exceeded()) return false;
  if (!inner) return true;
  return c.error(loc, [] { return support::msgNot(); });
}
template <bool D>
bool ifThenElse(Ctx<D>& c, const Kid<D>& cond, const Kid<D>* then, const Kid<D>* otherwise, const json& v,
                Annotations* ann) {
  std::size_t m = c.mark();
  Annotations annotations;
  bool matched = inPlace(c, cond, v, ann ? &annotations : nullptr);
  c.rollback(m);
  if (c.exceeded()) return false;
  if (matched && ann) ann->merge(annotations);
  const Kid<D>* branch = matched ? then : otherwise;
  if (branch == nullptr) return true;
  return inPlace(c, *branch, v, ann);
}
template <bool D>
bool dependentSchemas(Ctx<D>& c, std::span<const NamedKid<D>> kids, const json& v, Annotations* ann) {
  if (!v.is_object()) return true;
  bool ok = true;
  for (const NamedKid<D>& k : kids) {
    if (v.find(k.name) == v.end()) continue;
    if (!inPlace(c, Kid<D>{k.path, k.fn}, v, ann)) {
      ok = false;
      if (!D) return false;
    }
  }
  return ok;
}
// $dynamicRef whose target carries a matching $dynamicAnchor: the outermost resource in the
// dynamic scope that declares the anchor wins.
template <bool D>
bool dynamicRef(Ctx<D>& c, const Kid<D>& target, const char* anchor, DynamicLookup<D> lookup, const json& v,
                Annotations* ann) {
  Kid<D> k = target;
  for (std::uint32_t r : c.scope()) {
    if (Fn<D> fn = lookup(r, anchor)) {
      k.fn = fn;
      break;
    }
  }
  return inPlace(c, k, v, ann);
}

}  // namespace tether::schema::gen
