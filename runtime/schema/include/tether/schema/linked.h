// What generated validators link (see generator/validators): the Program they were
// generated from, embedded as text (program_io.h) and read once, and the fast mode's
// state shared by generated code and the runtime evaluator.
//
// Generated code is specialized where speed is made (type tests, object walks dispatching
// on property names, required names, items, $ref); every other instruction, the blocks
// that gather annotations (unevaluated*) and the whole detailed mode run in the runtime
// evaluator on the embedded Program. When the runtime evaluates a child Block that has
// generated code (its "hook"), it calls that code, so a oneOf of objects still walks them
// at generated speed. Both back ends therefore accept the same instances and, the detailed
// mode being the runtime's, report the same basic-output errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/schema/evaluator.h"
#include "tether/schema/frames.h"
#include "tether/schema/options.h"
#include "tether/schema/program.h"
#include "tether/schema/support.h"

namespace tether::schema::gen {

using json = nlohmann::json;

class Run;
// A generated fast-mode function: one Block applied to an instance, no annotations.
using Hook = bool (*)(Run&, const json&);
struct HookEntry {
  std::uint32_t block;
  Hook fn;
};

// What the generator compiled, checked against what the runtime reads and derives: a
// generator and a runtime that disagree (another tether version) fail loudly at first use
// instead of answering wrongly.
struct Shape {
  std::uint32_t blocks;
  std::uint32_t instructions;
  std::uint64_t fingerprint;  // fastFingerprint() of the generator's Program
};

// The embedded Program and the generated functions of its Blocks.
class Linked {
 public:
  // `text`: writeProgram's output; `parts`: the hooks of each generated translation unit.
  // Throws std::logic_error when the text does not read back to `shape`.
  Linked(std::string_view text, const Shape& shape, std::initializer_list<std::span<const HookEntry>> parts);

  const Program& program() const { return program_; }
  const Hook* hooks() const { return hooks_.data(); }

 private:
  Program program_;
  std::vector<Hook> hooks_;  // per Block, nullptr without generated code
};

// One fast-mode evaluation: the depth frames and the root instance, shared by generated
// code and the runtime evaluator it delegates to.
class Run {
 public:
  Run(const Linked& program, const EvaluateOptions& evaluate, const json& instance)
      : linked(program), options(evaluate), root(&instance), frames(evaluate.max_depth, program.program().uses_dynamic_scope) {}

  // Instruction `index` of the Program (fast mode, no annotations), in the runtime.
  bool instruction(std::uint32_t index, const json& v);
  // Block `index` applied to `v` (fast mode, no annotations), in the runtime.
  bool block(std::uint32_t index, const json& v);

  const Linked& linked;
  const EvaluateOptions& options;
  const json* root;
  Frames frames;
};

// The frame of a generated block: the depth limit (see Frames::push).
class Depth {
 public:
  explicit Depth(Run& run) : frames_(run.frames), ok_(frames_.push()) {}
  Depth(const Depth&) = delete;
  Depth& operator=(const Depth&) = delete;
  ~Depth() {
    if (ok_) frames_.pop();
  }
  explicit operator bool() const { return ok_; }

 private:
  Frames& frames_;
  bool ok_;
};

// Entry points of validate_<name> (fast) and evaluate_<name> (detailed, in the runtime).
inline bool validate(const Linked& linked, const json& v, const EvaluateOptions& options, Hook entry) {
  Run run(linked, options, v);
  return run.frames.finish(entry(run, v), nullptr);
}
bool validate(const Linked& linked, const json& v, const EvaluateOptions& options, std::uint32_t block);
void evaluate(const Linked& linked, std::uint32_t block, const json& v, Result& result, const EvaluateOptions& options);

// --- what generated blocks are written with ---------------------------------------------

// `v` is of one of the `type` bits in `types`.
[[gnu::always_inline]] inline bool is(const json& v, std::uint32_t types) { return (support::typeBits(v) & types) != 0; }

// `key` (whose length the caller already switched on) is `name`.
template <std::size_t N>
[[gnu::always_inline]] inline bool named(const std::string& key, const char (&name)[N]) {
  return std::memcmp(key.data(), name, N - 1) == 0;
}

// `items` from index `first`: `each` on every item, to the first failure.
template <typename Each>
[[gnu::always_inline]] inline bool eachItem(std::uint32_t first, const json& v, Each&& each) {
  if (!v.is_array()) return true;
  const json::array_t& array = *v.get_ptr<const json::array_t*>();
  for (std::size_t i = first; i < array.size(); ++i)
    if (!each(array[i])) return false;
  return true;
}

}  // namespace tether::schema::gen
