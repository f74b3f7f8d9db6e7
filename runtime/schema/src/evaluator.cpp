// The runtime evaluator. Recursive over Blocks; the recursion depth is bounded by
// EvaluateOptions::max_depth, and exceeding it ends evaluation with an error (never a
// stack overflow, never a silent pass: the depth error cannot be negated by `not`).
#include "tether/schema/evaluator.h"

#include <algorithm>
#include <optional>

#include "annotations.h"
#include "tether/schema/frames.h"
#include "tether/schema/linked.h"
#include "formats.h"
#include "json_equal.h"
#include "json_pointer.h"
#include "numbers.h"
#include "tether/schema/support.h"
#include "tether/schema/regex.h"
#include "unicode.h"

namespace tether::schema {

namespace {

using detail::Annotations;
using nlohmann::json;

using support::typeBits;

// D: the detailed mode (every error, with locations); otherwise the fast boolean mode. A
// template so the fast mode carries none of the detailed mode's tests.
template <bool D>
class Evaluator {
 public:
  // With `run` (fast mode only), the evaluation is part of a generated validator's: its
  // frames and root are shared, and Blocks with generated code run that code.
  Evaluator(const Program& program, const EvaluateOptions& options, std::vector<OutputUnit>* errors,
            gen::Run* run = nullptr)
      : p_(program),
        options_(options),
        root_(run ? run->root : nullptr),
        errors_(errors),
        run_(run),
        hooks_(run ? run->linked.hooks() : nullptr),
        frames_(run ? run->frames : own_.emplace(options.max_depth, program.uses_dynamic_scope)) {}

  bool run(std::uint32_t entry, const json& instance) {
    root_ = &instance;
    return frames_.finish(evalBlock(entry, instance, nullptr), errors_);
  }
  // Within a generated validator's evaluation (fast mode, no annotations).
  bool block(std::uint32_t index, const json& instance) { return evalBlock(index, instance, nullptr); }
  bool instruction(std::uint32_t index, const json& instance) {
    return evalInstruction(p_.instructions[index], instance, nullptr);
  }

 private:
  const Program& p_;
  const EvaluateOptions& options_;
  const json* root_ = nullptr;  // the instance run() started at
  std::vector<OutputUnit>* errors_;
  static constexpr bool detailed_ = D;
  gen::Run* run_;
  const gen::Hook* hooks_;  // per Block: its generated code, or nullptr
  std::optional<Frames> own_;
  Frames& frames_;
  std::string instance_path_;  // detailed mode only
  std::string keyword_path_;   // detailed mode only

  bool exceeded() const { return frames_.exceeded(); }

  // --- error reporting (detailed mode) ---------------------------------------------------
  template <typename MakeMessage>
  bool error(const Instruction& ins, MakeMessage&& message) {
    if (detailed_) {
      const Location& loc = p_.locations[ins.location];
      errors_->push_back(OutputUnit{instance_path_, keyword_path_ + loc.relative, loc.absolute, message()});
    }
    return false;
  }
  std::size_t mark() const { return detailed_ ? errors_->size() : 0; }
  void rollback(std::size_t m) {
    if (detailed_) errors_->resize(m);
  }

  // --- descending -------------------------------------------------------------------------
  // Restores a path on scope exit. Returned as a prvalue (guaranteed elision): a copy
  // would restore the path early.
  struct PathGuard {
    std::string* path;
    std::size_t size;
    PathGuard(std::string* p, std::size_t s) : path(p), size(s) {}
    PathGuard(const PathGuard&) = delete;
    PathGuard& operator=(const PathGuard&) = delete;
    ~PathGuard() {
      if (path) path->resize(size);
    }
  };
  PathGuard pushKeyword(const Child& k) {
    if (!detailed_) return PathGuard{nullptr, 0};
    std::size_t old = keyword_path_.size();
    keyword_path_ += p_.strings[k.path];
    return PathGuard{&keyword_path_, old};
  }
  PathGuard pushInstance(std::string_view token) {
    if (!detailed_) return PathGuard{nullptr, 0};
    std::size_t old = instance_path_.size();
    instance_path_ += '/';
    instance_path_ += detail::escapePointerToken(token);
    return PathGuard{&instance_path_, old};
  }
  PathGuard pushIndex(std::size_t i) {
    if (!detailed_) return PathGuard{nullptr, 0};
    std::size_t old = instance_path_.size();
    instance_path_ += '/';
    instance_path_ += std::to_string(i);
    return PathGuard{&instance_path_, old};
  }

  // Applies child `k` in place (same instance location).
  bool applyInPlace(const Child& k, const json& instance, Annotations* ann) {
    auto g = pushKeyword(k);
    return evalBlock(k.block, instance, ann);
  }
  bool applyToMember(const Child& k, std::string_view key, const json& value) {
    auto g = pushKeyword(k);
    auto h = pushInstance(key);
    return evalBlock(k.block, value, nullptr);
  }
  bool applyToItem(const Child& k, std::size_t index, const json& value) {
    auto g = pushKeyword(k);
    auto h = pushIndex(index);
    return evalBlock(k.block, value, nullptr);
  }

  bool evalBlock(std::uint32_t index, const json& instance, Annotations* parent) {
    if (!detailed_ && !p_.uses_dynamic_scope) {
      // $ref-only schemas: jump to the target (chains end at their last target, and the
      // compiler rejects loops).
      if (p_.blocks[index].forward != kNone) index = p_.blocks[index].forward;
      const Block& leaf = p_.blocks[index];
      if (leaf.leaf == kLeafType) return (typeBits(instance) & leaf.leaf_types) != 0;
      if (leaf.leaf == kLeafAny) return true;
      if (hooks_ && parent == nullptr && hooks_[index]) return hooks_[index](*run_, instance);
      if (!leaf.collects) return enterFast(leaf, instance, parent);
    }
    const Block& block = p_.blocks[index];
    return frames_.enter(block.resource, block.collects, instance, parent, D ? &instance_path_ : nullptr,
                         D ? &keyword_path_ : nullptr, [&](Annotations* ann) {
                           return D ? runDetailed(block, instance, ann) : runFast(block, instance, ann);
                         });
  }

  // The fast mode without a dynamic scope, for a block that neither collects annotations
  // nor is a leaf (the parent's annotations pass through, as in Frames::enter): the frame
  // is the depth limit alone.
  bool enterFast(const Block& block, const json& instance, Annotations* parent) {
    if (!frames_.push()) return false;
    const bool ok = runFast(block, instance, parent);
    frames_.pop();
    return ok;
  }
  // A child applied to a member or an item in the fast mode: `target` as resolved by the
  // compiler (FastTarget) when there is no dynamic scope, so without a call for leaves.
  bool applyFast(const FastTarget& target, const json& value) {
    if (target.leaf == kLeafType) return (typeBits(value) & target.leaf_types) != 0;
    if (target.leaf == kLeafAny) return true;
    if (hooks_ && hooks_[target.block]) return hooks_[target.block](*run_, value);
    if (target.plan != kNone) return walkPlan(target, value);
    const Block& block = p_.blocks[target.block];
    if (p_.uses_dynamic_scope || block.collects) return evalBlock(target.block, value, nullptr);
    return enterFast(block, value, nullptr);
  }

  // A type-and-plan target (FastTarget::plan): enterFast and runFast without the Block.
  [[gnu::always_inline]] bool walkPlan(const FastTarget& target, const json& value) {
    if (!frames_.push()) return false;
    const bool ok = (typeBits(value) & target.leaf_types) != 0 &&
                    (!value.is_object() || walkObject(p_.object_plans[target.plan], value, nullptr));
    frames_.pop();
    return ok;
  }

  bool runDetailed(const Block& block, const json& instance, Annotations* ann) {
    bool ok = true;
    for (std::uint32_t i = block.begin; i < block.end; ++i) {
      if (!evalInstruction(p_.instructions[i], instance, ann)) {
        ok = false;
        if (exceeded()) break;
      }
    }
    return ok;
  }

  // Fast mode: the object plan first (one walk over the members), then the instructions
  // it did not replace; stops at the first failure.
  bool runFast(const Block& block, const json& instance, Annotations* ann) {
    if (block.fast_types != 0 && !(typeBits(instance) & block.fast_types)) return false;
    if (block.object_plan != kNone && instance.is_object() &&
        !walkObject(p_.object_plans[block.object_plan], instance, ann))
      return false;
    for (std::uint32_t i = block.fast_begin; i < block.fast_end; ++i)
      if (!evalInstruction(p_.instructions[p_.fast_code[i]], instance, ann)) return false;
    return true;
  }

  // The fast mode's object walk: each member is looked up once and validated in place
  // (leaf schemas inline), unless a required name before it is missing
  // (NameEntry::required_before).
  bool walkObject(const ObjectPlan& plan, const json& v, Annotations* ann) {
    const NameTable& table = plan.names;
    const json::object_t& object = support::objectOf(v);
    if (object.size() < plan.required_count) return false;
    std::uint64_t seen = 0;
    for (const auto& member : support::members(object)) {
      const FastTarget* t = &plan.additional_target;
      if (const NameEntry* e = table.find(member.first)) {
        if ((seen & e->required_before) != e->required_before) return false;
        seen |= e->required_bit;
        t = &e->target;
      }
      if (t->block == kNone) continue;
      if (ann) ann->properties.push_back(member.first);
      const json& value = member.second;
      if (t->leaf == kLeafType) {
        if (!(typeBits(value) & t->leaf_types)) return false;
        continue;
      }
      if (t->leaf == kLeafAny) continue;
      if (t->plan != kNone ? !walkPlan(*t, value) : !applyFast(*t, value)) return false;
    }
    return (seen & plan.required_mask) == plan.required_mask;
  }

  const Child& kid(const Instruction& ins, std::uint32_t i) const { return p_.children[ins.child_begin + i]; }

  bool evalInstruction(const Instruction& ins, const json& v, Annotations* ann) {
    switch (ins.op) {
      case Op::Fail:
        return error(ins, [] { return support::msgFalse(); });
      case Op::Type: {
        if (typeBits(v) & ins.a) return true;
        return error(ins, [&] { return support::msgType(ins.a, v); });
      }
      case Op::Const:
        if (detail::jsonEqual(v, p_.values[ins.a])) return true;
        return error(ins, [&] { return support::msgConst(p_.values[ins.a]); });
      case Op::Enum: {
        for (const json& candidate : p_.values[ins.a]) {
          if (candidate.type() == v.type() || (candidate.is_number() && v.is_number()))
            if (detail::jsonEqual(v, candidate)) return true;
        }
        return error(ins, [&] { return support::msgEnum(v); });
      }
      case Op::MultipleOf:
        if (!v.is_number() || detail::isMultipleOf(v, p_.values[ins.a])) return true;
        return error(ins, [&] { return support::msgMultipleOf(v, p_.values[ins.a]); });
      case Op::Minimum:
        if (!v.is_number() || detail::compareNumbers(v, p_.values[ins.a]) >= 0) return true;
        return error(ins, [&] { return support::msgBound(ins.op, v, p_.values[ins.a]); });
      case Op::Maximum:
        if (!v.is_number() || detail::compareNumbers(v, p_.values[ins.a]) <= 0) return true;
        return error(ins, [&] { return support::msgBound(ins.op, v, p_.values[ins.a]); });
      case Op::ExclusiveMinimum:
        if (!v.is_number() || detail::compareNumbers(v, p_.values[ins.a]) > 0) return true;
        return error(ins, [&] { return support::msgBound(ins.op, v, p_.values[ins.a]); });
      case Op::ExclusiveMaximum:
        if (!v.is_number() || detail::compareNumbers(v, p_.values[ins.a]) < 0) return true;
        return error(ins, [&] { return support::msgBound(ins.op, v, p_.values[ins.a]); });
      case Op::MinLength:
        if (!v.is_string() || detail::codePointCount(v.get_ref<const std::string&>()) >= ins.a) return true;
        return error(ins, [&] { return support::msgCount(ins.op, ins.a); });
      case Op::MaxLength:
        if (!v.is_string() || v.get_ref<const std::string&>().size() <= ins.a ||
            detail::codePointCount(v.get_ref<const std::string&>()) <= ins.a)
          return true;
        return error(ins, [&] { return support::msgCount(ins.op, ins.a); });
      case Op::Pattern: {
        if (!v.is_string()) return true;
        const Regex& re = *p_.regexes[ins.a];
        MatchResult m = re.search(v.get_ref<const std::string&>());
        if (m == MatchResult::Match) return true;
        return error(ins, [&] { return support::msgPattern(re.source(), m == MatchResult::LimitExceeded); });
      }
      case Op::FormatAssert: {
        if (!v.is_string() || !options_.assert_formats) return true;
        auto format = static_cast<Format>(ins.a);
        if (detail::checkFormat(format, v.get_ref<const std::string&>())) return true;
        return error(ins, [&] { return support::msgFormat(format); });
      }
      case Op::MinItems:
        if (!v.is_array() || v.size() >= ins.a) return true;
        return error(ins, [&] { return support::msgCount(ins.op, ins.a); });
      case Op::MaxItems:
        if (!v.is_array() || v.size() <= ins.a) return true;
        return error(ins, [&] { return support::msgCount(ins.op, ins.a); });
      case Op::UniqueItems: {
        if (!v.is_array()) return true;
        for (std::size_t i = 0; i < v.size(); ++i)
          for (std::size_t j = i + 1; j < v.size(); ++j)
            if (detail::jsonEqual(v[i], v[j]))
              return error(ins, [&] { return support::msgUniqueItems(i, j); });
        return true;
      }
      case Op::MinProperties:
        if (!v.is_object() || v.size() >= ins.a) return true;
        return error(ins, [&] { return support::msgCount(ins.op, ins.a); });
      case Op::MaxProperties:
        if (!v.is_object() || v.size() <= ins.a) return true;
        return error(ins, [&] { return support::msgCount(ins.op, ins.a); });
      case Op::Required: {
        if (!v.is_object()) return true;
        bool ok = true;
        for (std::uint32_t name : p_.name_lists[ins.a]) {
          if (v.find(p_.strings[name]) != v.end()) continue;
          ok = error(ins, [&] { return support::msgRequired(p_.strings[name]); });
          if (!detailed_) return false;
        }
        return ok;
      }
      case Op::DependentRequired: {
        if (!v.is_object() || v.find(p_.strings[ins.a]) == v.end()) return true;
        bool ok = true;
        for (std::uint32_t name : p_.name_lists[ins.b]) {
          if (v.find(p_.strings[name]) != v.end()) continue;
          ok = error(ins, [&] { return support::msgDependentRequired(p_.strings[ins.a], p_.strings[name]); });
          if (!detailed_) return false;
        }
        return ok;
      }
      case Op::Properties: {
        if (!v.is_object()) return true;
        bool ok = true;
        auto apply = [&](const Child& k, const std::string& key, const json& member) {
          if (ann) ann->properties.push_back(key);
          if (!applyToMember(k, key, member)) ok = false;
          return ok || detailed_;
        };
        if (v.size() < ins.child_count) {
          // Few members, many declared properties (typical of API objects): look each
          // member up among the declared names (sorted at compile time).
          const Child* first = &p_.children[ins.child_begin];
          const Child* last = first + ins.child_count;
          for (auto it = v.begin(); it != v.end(); ++it) {
            const std::string& key = it.key();
            const Child* k = std::lower_bound(first, last, key, [&](const Child& c, const std::string& name) {
              return p_.strings[c.key] < name;
            });
            if (k == last || p_.strings[k->key] != key) continue;
            if (!apply(*k, key, *it)) return false;
          }
          return ok;
        }
        for (std::uint32_t i = 0; i < ins.child_count; ++i) {
          const Child& k = kid(ins, i);
          auto it = v.find(p_.strings[k.key]);
          if (it == v.end()) continue;
          if (!apply(k, it.key(), *it)) return false;
        }
        return ok;
      }
      case Op::PatternProperties: {
        if (!v.is_object()) return true;
        bool ok = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
          for (std::uint32_t i = 0; i < ins.child_count; ++i) {
            const Child& k = kid(ins, i);
            MatchResult m = p_.regexes[k.key]->search(it.key());
            if (m == MatchResult::NoMatch) continue;
            if (m == MatchResult::LimitExceeded) {
              ok = error(ins, [&] { return support::msgPattern(p_.regexes[k.key]->source(), true); });
              if (!detailed_) return false;
              continue;
            }
            if (ann) ann->properties.push_back(it.key());
            if (!applyToMember(k, it.key(), *it)) {
              ok = false;
              if (!detailed_) return false;
            }
          }
        }
        return ok;
      }
      case Op::AdditionalProperties: {
        if (!v.is_object()) return true;
        const auto& names = p_.name_lists[ins.a];
        const auto& patterns = p_.regex_lists[ins.b];
        bool ok = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
          const std::string& key = it.key();
          auto pos = std::lower_bound(names.begin(), names.end(), key,
                                      [&](std::uint32_t n, const std::string& k) { return p_.strings[n] < k; });
          if (pos != names.end() && p_.strings[*pos] == key) continue;
          bool matched = false;
          for (std::uint32_t r : patterns)
            if (p_.regexes[r]->search(key) != MatchResult::NoMatch) { matched = true; break; }
          if (matched) continue;
          if (ann) ann->properties.push_back(key);
          if (!applyToMember(kid(ins, 0), key, *it)) {
            ok = false;
            if (!detailed_) return false;
          }
        }
        return ok;
      }
      case Op::PropertyNames: {
        if (!v.is_object()) return true;
        bool ok = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
          json name(it.key());
          auto g = pushKeyword(kid(ins, 0));
          auto h = pushInstance(it.key());
          if (!evalBlock(kid(ins, 0).block, name, nullptr)) {
            ok = false;
            if (!detailed_) return false;
          }
        }
        return ok;
      }
      case Op::PrefixItems: {
        if (!v.is_array()) return true;
        std::size_t n = std::min<std::size_t>(v.size(), ins.child_count);
        if (ann) ann->item_prefix = std::max(ann->item_prefix, n);
        bool ok = true;
        for (std::size_t i = 0; i < n; ++i) {
          if (!applyToItem(kid(ins, static_cast<std::uint32_t>(i)), i, v[i])) {
            ok = false;
            if (!detailed_) return false;
          }
        }
        return ok;
      }
      case Op::Items: {
        if (!v.is_array()) return true;
        if (ann && v.size() > ins.a) ann->all_items = true;
        if (!detailed_) {
          const FastTarget& target = p_.fast_targets[ins.child_begin];
          const json::array_t& array = *v.get_ptr<const json::array_t*>();
          for (std::size_t i = ins.a; i < array.size(); ++i)
            if (!applyFast(target, array[i])) return false;
          return true;
        }
        bool ok = true;
        for (std::size_t i = ins.a; i < v.size(); ++i) {
          if (!applyToItem(kid(ins, 0), i, v[i])) {
            ok = false;
            if (!detailed_) return false;
          }
        }
        return ok;
      }
      case Op::Contains: {
        if (!v.is_array()) return true;
        std::size_t matches = 0;
        std::size_t m = mark();
        for (std::size_t i = 0; i < v.size(); ++i) {
          if (applyToItem(kid(ins, 0), i, v[i])) {
            ++matches;
            if (ann) ann->items.push_back(i);
            else if (ins.b == kNone && matches >= ins.a) break;
          }
          if (exceeded()) return false;
        }
        rollback(m);
        if (matches < ins.a)
          return error(ins, [&] { return support::msgContains(matches, ins.a, true); });
        if (ins.b != kNone && matches > ins.b)
          return error(ins, [&] { return support::msgContains(matches, ins.b, false); });
        return true;
      }
      case Op::UnevaluatedItems: {
        if (!v.is_array()) return true;
        bool ok = true;
        for (std::size_t i = 0; i < v.size(); ++i) {
          if (ann && ann->hasItem(i)) continue;
          if (!applyToItem(kid(ins, 0), i, v[i])) {
            ok = false;
            if (!detailed_) return false;
          }
        }
        if (ann) ann->all_items = true;
        return ok;
      }
      case Op::UnevaluatedProperties: {
        if (!v.is_object()) return true;
        bool ok = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
          if (ann && ann->hasProperty(it.key())) continue;
          if (!applyToMember(kid(ins, 0), it.key(), *it)) {
            ok = false;
            if (!detailed_) return false;
          }
        }
        if (ann) ann->all_properties = true;
        return ok;
      }
      case Op::AllOf: {
        bool ok = true;
        for (std::uint32_t i = 0; i < ins.child_count; ++i) {
          if (!applyInPlace(kid(ins, i), v, ann)) {
            ok = false;
            if (!detailed_) return false;
          }
        }
        return ok;
      }
      case Op::AnyOf: {
        std::size_t m = mark();
        bool any = false;
        for (std::uint32_t i = 0; i < ins.child_count; ++i) {
          if (ann) {
            Annotations branch;
            if (applyInPlace(kid(ins, i), v, &branch)) {
              any = true;
              ann->merge(branch);
            }
          } else if (applyInPlace(kid(ins, i), v, nullptr)) {
            any = true;
            if (!detailed_) break;
          }
          if (exceeded()) return false;
        }
        if (any) {
          rollback(m);
          return true;
        }
        return error(ins, [] { return support::msgAnyOf(); });
      }
      case Op::OneOf: {
        std::size_t m = mark();
        std::size_t passed = 0;
        Annotations chosen;
        for (std::uint32_t i = 0; i < ins.child_count; ++i) {
          Annotations branch;
          if (applyInPlace(kid(ins, i), v, ann ? &branch : nullptr)) {
            if (++passed == 1 && ann) chosen = std::move(branch);
            if (passed > 1 && !detailed_) break;
          }
          if (exceeded()) return false;
        }
        if (passed == 1) {
          rollback(m);
          if (ann) ann->merge(chosen);
          return true;
        }
        if (passed > 1) rollback(m);
        return error(ins, [&] { return support::msgOneOf(passed); });
      }
      case Op::Not: {
        std::size_t m = mark();
        bool inner = applyInPlace(kid(ins, 0), v, nullptr);
        rollback(m);
        if (exceeded()) return false;
        if (!inner) return true;
        return error(ins, [] { return support::msgNot(); });
      }
      case Op::IfThenElse: {
        std::size_t m = mark();
        Annotations cond;
        bool matched = applyInPlace(kid(ins, 0), v, ann ? &cond : nullptr);
        rollback(m);
        if (exceeded()) return false;
        if (matched && ann) ann->merge(cond);
        const Child& branch = kid(ins, matched ? 1 : 2);
        if (branch.block == kNone) return true;
        return applyInPlace(branch, v, ann);
      }
      case Op::DependentSchemas: {
        if (!v.is_object()) return true;
        bool ok = true;
        for (std::uint32_t i = 0; i < ins.child_count; ++i) {
          const Child& k = kid(ins, i);
          if (v.find(p_.strings[k.key]) == v.end()) continue;
          if (!applyInPlace(k, v, ann)) {
            ok = false;
            if (!detailed_) return false;
          }
        }
        return ok;
      }
      case Op::Ref:
        return applyInPlace(kid(ins, 0), v, ann);
      case Op::DynamicRef: {
        Child target = kid(ins, 0);
        if (ins.b == 1) {
          // The outermost resource in the dynamic scope that declares the anchor wins.
          const std::string& name = p_.strings[ins.a];
          bool found = false;
          for (std::uint32_t r : frames_.scope()) {
            for (auto& [anchor, block] : p_.resources[r].dynamic_anchors)
              if (anchor == name) { target.block = block; found = true; break; }
            if (found) break;
          }
        }
        return applyInPlace(target, v, ann);
      }
      case Op::ReadOnly:  // below the root only: see readOnly() in generated.h
        if (options_.direction != Direction::Request || &v == root_) return true;
        return error(ins, [] { return support::msgReadOnly(); });
      case Op::WriteOnly:
        if (options_.direction != Direction::Response || &v == root_) return true;
        return error(ins, [] { return support::msgWriteOnly(); });
      case Op::ContentAssert:
        if (!v.is_string() || detail::checkContent(ins.a != 0, ins.b != 0, v.get_ref<const std::string&>()))
          return true;
        return error(ins, [] { return support::msgContent(); });
    }
    return true;
  }
};

}  // namespace

bool validate(const Program& program, const json& instance, const EvaluateOptions& options) {
  return validateFrom(program, program.root, instance, options);
}

Result evaluate(const Program& program, const json& instance, const EvaluateOptions& options) {
  return evaluateFrom(program, program.root, instance, options);
}

bool validateFrom(const Program& program, std::uint32_t entry, const json& instance, const EvaluateOptions& options) {
  Evaluator<false> evaluator(program, options, nullptr);
  return evaluator.run(entry, instance);
}

Result evaluateFrom(const Program& program, std::uint32_t entry, const json& instance,
                    const EvaluateOptions& options) {
  Result result;
  Evaluator<true> evaluator(program, options, &result.errors);
  result.valid = evaluator.run(entry, instance);
  if (!result.valid && result.errors.empty())
    result.errors.push_back(OutputUnit{"", "", "", "validation failed"});
  return result;
}

namespace gen {

bool Run::instruction(std::uint32_t index, const json& v) {
  return Evaluator<false>(linked.program(), options, nullptr, this).instruction(index, v);
}

bool Run::block(std::uint32_t index, const json& v) {
  return Evaluator<false>(linked.program(), options, nullptr, this).block(index, v);
}

bool validate(const Linked& linked, const json& v, const EvaluateOptions& options, std::uint32_t block) {
  Run run(linked, options, v);
  return run.frames.finish(run.block(block, v), nullptr);
}

void evaluate(const Linked& linked, std::uint32_t block, const json& v, Result& result,
              const EvaluateOptions& options) {
  result = evaluateFrom(linked.program(), block, v, options);
}

}  // namespace gen

json Result::toBasicOutput() const {
  json out = json::object();
  out["valid"] = valid;
  if (!valid) {
    json list = json::array();
    for (const OutputUnit& e : errors) {
      list.push_back(json{{"instanceLocation", e.instance_location},
                          {"keywordLocation", e.keyword_location},
                          {"absoluteKeywordLocation", e.absolute_keyword_location},
                          {"error", e.error}});
    }
    out["errors"] = std::move(list);
  }
  return out;
}

}  // namespace tether::schema
