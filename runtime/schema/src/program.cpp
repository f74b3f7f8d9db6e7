#include "tether/schema/program.h"

#include <sstream>

namespace tether::schema {

const char* opName(Op op) {
  switch (op) {
    case Op::Fail: return "Fail";
    case Op::Type: return "Type";
    case Op::Const: return "Const";
    case Op::Enum: return "Enum";
    case Op::MultipleOf: return "MultipleOf";
    case Op::Minimum: return "Minimum";
    case Op::Maximum: return "Maximum";
    case Op::ExclusiveMinimum: return "ExclusiveMinimum";
    case Op::ExclusiveMaximum: return "ExclusiveMaximum";
    case Op::MinLength: return "MinLength";
    case Op::MaxLength: return "MaxLength";
    case Op::Pattern: return "Pattern";
    case Op::FormatAssert: return "FormatAssert";
    case Op::MinItems: return "MinItems";
    case Op::MaxItems: return "MaxItems";
    case Op::UniqueItems: return "UniqueItems";
    case Op::MinProperties: return "MinProperties";
    case Op::MaxProperties: return "MaxProperties";
    case Op::Required: return "Required";
    case Op::DependentRequired: return "DependentRequired";
    case Op::Properties: return "Properties";
    case Op::PatternProperties: return "PatternProperties";
    case Op::AdditionalProperties: return "AdditionalProperties";
    case Op::PropertyNames: return "PropertyNames";
    case Op::PrefixItems: return "PrefixItems";
    case Op::Items: return "Items";
    case Op::Contains: return "Contains";
    case Op::UnevaluatedItems: return "UnevaluatedItems";
    case Op::UnevaluatedProperties: return "UnevaluatedProperties";
    case Op::AllOf: return "AllOf";
    case Op::AnyOf: return "AnyOf";
    case Op::OneOf: return "OneOf";
    case Op::Not: return "Not";
    case Op::IfThenElse: return "IfThenElse";
    case Op::DependentSchemas: return "DependentSchemas";
    case Op::Ref: return "Ref";
    case Op::DynamicRef: return "DynamicRef";
    case Op::ReadOnly: return "ReadOnly";
    case Op::WriteOnly: return "WriteOnly";
    case Op::ContentAssert: return "ContentAssert";
  }
  return "?";
}

FastTarget Program::fastTarget(std::uint32_t block) const {
  FastTarget t;
  t.block = block;
  if (block == kNone || uses_dynamic_scope) return t;
  if (blocks[t.block].forward != kNone) t.block = blocks[t.block].forward;
  const Block& b = blocks[t.block];
  t.leaf = b.leaf;
  t.leaf_types = b.leaf_types;
  if (b.leaf == kLeafNone && !b.collects && b.object_plan != kNone && b.fast_types != 0 &&
      b.fast_begin == b.fast_end) {
    t.plan = b.object_plan;
    t.leaf_types = b.fast_types;
  }
  return t;
}

std::string Program::dump() const {
  std::ostringstream out;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const Block& block = blocks[b];
    out << "block " << b << (b == root ? " (root)" : "") << (block.collects ? " collects" : "") << "  "
        << block.absolute << "\n";
    for (std::uint32_t i = block.begin; i < block.end; ++i) {
      const Instruction& ins = instructions[i];
      out << "  " << opName(ins.op) << " a=" << ins.a << " b=" << ins.b;
      for (std::uint32_t k = 0; k < ins.child_count; ++k) {
        const Child& c = children[ins.child_begin + k];
        out << (k ? ", " : "  -> ");
        out << (c.block == kNone ? std::string("-") : std::to_string(c.block));
      }
      out << "  @" << locations[ins.location].absolute << "\n";
    }
  }
  return out.str();
}

}  // namespace tether::schema
