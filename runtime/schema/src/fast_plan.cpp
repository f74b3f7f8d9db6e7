// See fast_plan.h.
#include "fast_plan.h"

#include <algorithm>

namespace tether::schema::detail {

namespace {

class FastPlanner {
 public:
  explicit FastPlanner(Program& program) : program_(program) {}

  void run() {
    for (Block& block : program_.blocks) {
      if (block.end - block.begin != 1 || block.collects) continue;
      const Instruction& only = program_.instructions[block.begin];
      if (only.op == Op::Ref) block.forward = program_.children[only.child_begin].block;
    }
    // Forward chains ($ref to a $ref-only schema) end at their last target.
    for (Block& block : program_.blocks)
      while (block.forward != kNone && program_.blocks[block.forward].forward != kNone)
        block.forward = program_.blocks[block.forward].forward;
    for (Block& block : program_.blocks) {
      if (block.collects) continue;
      if (block.begin == block.end) {
        block.leaf = kLeafAny;
      } else if (block.end - block.begin == 1 && program_.instructions[block.begin].op == Op::Type) {
        block.leaf = kLeafType;
        block.leaf_types = static_cast<std::uint8_t>(program_.instructions[block.begin].a);
      }
    }
    for (std::uint32_t b = 0; b < program_.blocks.size(); ++b) planObject(b);
    for (Block& block : program_.blocks) fastCode(block);
    resolveTargets();
  }

 private:
  Program& program_;

  // What the fast mode runs for child `child` (a Program::children index, or kNone).
  FastTarget fastTarget(std::uint32_t child) const {
    return child == kNone ? FastTarget{} : program_.fastTarget(program_.children[child].block);
  }

  // The children's and the object plans' targets, once every block has its plan and fast
  // code.
  void resolveTargets() {
    program_.fast_targets.clear();
    for (const Child& child : program_.children)
      program_.fast_targets.push_back(child.block == kNone ? FastTarget{} : program_.fastTarget(child.block));
    for (ObjectPlan& plan : program_.object_plans) {
      plan.additional_target = fastTarget(plan.additional);
      NameTable& table = plan.names;
      for (auto* entries : {&table.entries, &table.slots})
        for (NameEntry& e : *entries)
          if (e.length != kNone) e.target = e.property != kNone ? fastTarget(e.property) : plan.additional_target;
    }
  }

  // Gathers the block's required/properties/additionalProperties into an ObjectPlan (see
  // program.h) and marks the instructions it replaces in fast mode.
  void planObject(std::uint32_t b) {
    Program& p = program_;
    const Block& block = p.blocks[b];
    Instruction* required = nullptr;
    Instruction* properties = nullptr;
    Instruction* additional = nullptr;
    bool patterns = false;
    for (std::uint32_t i = block.begin; i < block.end; ++i) {
      Instruction& ins = p.instructions[i];
      if (ins.op == Op::Required) required = &ins;
      else if (ins.op == Op::Properties) properties = &ins;
      else if (ins.op == Op::AdditionalProperties) additional = &ins;
      else if (ins.op == Op::PatternProperties) patterns = true;
    }
    if (additional && (patterns || !p.regex_lists[additional->b].empty())) additional = nullptr;
    std::vector<std::uint32_t> required_names;
    if (required) {
      required_names = p.name_lists[required->a];
      std::sort(required_names.begin(), required_names.end());
      required_names.erase(std::unique(required_names.begin(), required_names.end()), required_names.end());
      if (required_names.size() > 64) required = nullptr, required_names.clear();
    }
    if (!required && !properties && !additional) return;

    std::vector<NameEntry> entries;
    auto entry = [&](std::uint32_t name) -> NameEntry& {
      for (NameEntry& e : entries)
        if (e.name == name) return e;
      NameEntry e;
      e.words = keyWords(p.strings[name]);
      e.name = name;
      entries.push_back(e);
      return entries.back();
    };
    ObjectPlan plan;
    if (properties)
      for (std::uint32_t k = 0; k < properties->child_count; ++k)
        entry(p.children[properties->child_begin + k].key).property = properties->child_begin + k;
    for (std::size_t r = 0; r < required_names.size(); ++r) {
      entry(required_names[r]).required = static_cast<std::uint32_t>(r);
      plan.required_mask |= std::uint64_t{1} << r;
    }
    plan.required_count = static_cast<std::uint32_t>(required_names.size());
    std::sort(entries.begin(), entries.end(),
              [&](const NameEntry& x, const NameEntry& y) { return p.strings[x.name] < p.strings[y.name]; });
    if (additional) plan.additional = additional->child_begin;
    NameTable table;  // targets: resolveTargets()
    for (NameEntry& e : entries) {
      const std::string& name = p.strings[e.name];
      e.offset = static_cast<std::uint32_t>(table.chars.size());
      e.length = static_cast<std::uint32_t>(name.size());
      table.chars += name;
      if (e.required != kNone) e.required_bit = std::uint64_t{1} << e.required;
    }
    // Sorted by name: the required names before an entry are those of the entries before it.
    std::uint64_t before = 0;
    for (NameEntry& e : entries) {
      e.required_before = before;
      before |= e.required_bit;
    }
    std::size_t size = 4;
    table.shift = 62;
    while (size < entries.size() * 2) size *= 2, --table.shift;
    NameEntry free;
    free.length = kNone;
    table.slots.assign(size, free);
    for (const NameEntry& e : entries) {
      std::size_t slot = table.slotOf(e.words, e.length);
      while (table.slots[slot].length != kNone) slot = (slot + 1) & (size - 1);
      table.slots[slot] = e;
    }
    table.entries = std::move(entries);
    plan.names = std::move(table);
    for (Instruction* ins : {required, properties, additional})
      if (ins) ins->fused = true;
    p.object_plans.push_back(plan);
    p.blocks[b].object_plan = static_cast<std::uint32_t>(p.object_plans.size() - 1);
  }

  // The fast mode's instruction list of `block` (see Block::fast_types).
  void fastCode(Block& block) {
    block.fast_begin = static_cast<std::uint32_t>(program_.fast_code.size());
    for (std::uint32_t i = block.begin; i < block.end; ++i) {
      const Instruction& ins = program_.instructions[i];
      if (ins.fused) continue;
      if (ins.op == Op::Type && block.fast_types == 0 && ins.a != 0) {
        block.fast_types = static_cast<std::uint8_t>(ins.a);
        continue;
      }
      program_.fast_code.push_back(i);
    }
    block.fast_end = static_cast<std::uint32_t>(program_.fast_code.size());
  }
};

}  // namespace

void prepareFastMode(Program& program) { FastPlanner(program).run(); }

}  // namespace tether::schema::detail
