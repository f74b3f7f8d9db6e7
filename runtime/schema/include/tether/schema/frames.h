// The frame of one schema application, shared by the runtime evaluator (evaluator.cpp) and
// generated validators (generated.h): the depth limit, the dynamic scope ($dynamicRef) and
// the evaluated-location annotations that unevaluated* reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/schema/annotations.h"
#include "tether/schema/evaluator.h"
#include "tether/schema/support.h"

namespace tether::schema {

class Frames {
 public:
  Frames(std::size_t max_depth, bool dynamic_scope) : max_depth_(max_depth), dynamic_(dynamic_scope) {
    if (dynamic_) scope_.reserve(16);
  }

  bool exceeded() const { return exceeded_; }
  const std::vector<std::uint32_t>& scope() const { return scope_; }

  // Runs body(annotations) as the application of a schema of `resource` to `v`. Past the
  // depth limit it fails (once recording where, from the paths when given: the detailed
  // mode) without running the body; exceeding the limit fails every enclosing frame.
  template <typename Body>
  bool enter(std::uint32_t resource, bool collects, const nlohmann::json& v, Annotations* parent,
             const std::string* instance_path, const std::string* keyword_path, Body&& body) {
    if (depth_ >= max_depth_) {
      if (!exceeded_) {
        exceeded_ = true;
        if (instance_path) depth_instance_ = *instance_path;
        if (keyword_path) depth_keyword_ = *keyword_path;
      }
      return false;
    }
    ++depth_;
    bool pushed = false;
    if (dynamic_ && (scope_.empty() || scope_.back() != resource)) {
      scope_.push_back(resource);
      pushed = true;
    }
    bool ok;
    if (collects) {
      Annotations local;  // only where unevaluated* reads them
      if (v.is_object()) local.properties.reserve(v.size());
      ok = body(&local);
      if (parent && ok) parent->merge(local);
    } else {
      ok = body(parent);
    }
    if (pushed) scope_.pop_back();
    --depth_;
    return ok && !exceeded_;
  }

  // The fast boolean mode's frame of a schema that neither collects annotations nor needs
  // the dynamic scope: the depth limit only. Its result needs no exceeded() test on the
  // way out: a depth failure is a failure all the way up, since every keyword that turns a
  // failing child into a success (not, anyOf, oneOf, if, contains) tests exceeded()
  // itself, and finish() fails the evaluation.
  [[gnu::always_inline]] bool push() {
    if (depth_ >= max_depth_) [[unlikely]] {
      exceeded_ = true;
      return false;
    }
    ++depth_;
    return true;
  }
  [[gnu::always_inline]] void pop() { --depth_; }

  // The end of an evaluation: `ok`, unless the depth limit was hit; then the depth error
  // joins `errors` (when given).
  bool finish(bool ok, std::vector<OutputUnit>* errors) const {
    if (!exceeded_) return ok;
    if (errors) errors->push_back(OutputUnit{depth_instance_, depth_keyword_, "", support::msgDepth(max_depth_)});
    return false;
  }

 private:
  std::size_t max_depth_;
  bool dynamic_;
  bool exceeded_ = false;
  std::size_t depth_ = 0;
  std::vector<std::uint32_t> scope_;  // resources on the evaluation path
  std::string depth_instance_, depth_keyword_;
};

}  // namespace tether::schema
