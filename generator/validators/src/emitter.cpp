// The validator emitter: turns a compiled Program into the data of the mustache templates
// in templates/validators/ and renders them. All C++ text that depends on the schema (string
// literals, function names, locations) is prepared here; the templates hold the code shape.
#include "tether/emit/validators.h"
#include "tether/emit/files.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>

#include <kainjow/mustache.hpp>

#include "tether/schema/regex.h"

#ifndef TETHER_VERSION
#define TETHER_VERSION "0.0.0"
#endif

namespace tether::emit {

namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;
using schema::Block;
using schema::Child;
using schema::Instruction;
using schema::kNone;
using schema::Op;
using schema::Program;

const char* kSourceTemplate =
#include "source_template.inc"
    ;
const char* kHeaderTemplate =
#include "header_template.inc"
    ;
const char* kClangFormatStyle =
#include "clang_format_style.inc"
    ;

}  // namespace

// A C++ string literal holding exactly `s` (octal escapes for everything but plain ASCII).
std::string cppLiteral(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7F && c != '?') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    }
  }
  return out + "\"";
}

namespace {

std::string literal(std::string_view s) { return cppLiteral(s); }

// Text safe inside a // comment (no line break, no trailing backslash).
std::string comment(std::string_view s) {
  std::string out;
  for (unsigned char c : s) out += (c < 0x20 || c == '\\' || c >= 0x7F) ? '?' : static_cast<char>(c);
  return out;
}

std::string fn(std::uint32_t block) { return "b" + std::to_string(block); }

mustache compileTemplate(const char* text) {
  mustache t{std::string(text)};
  if (!t.is_valid()) throw std::logic_error("validator template: " + t.error_message());
  t.set_custom_escape([](const std::string& s) { return s; });  // the data is C++ already
  return t;
}

class SchemaData {
 public:
  explicit SchemaData(const Program& p) : p_(p) {}

  // The code of the Program (its Blocks, constants and regexes, in namespace `impl`) and
  // the entry points of `entries`, which all use this Program.
  data build(std::span<const ValidatorSchema> entries) {
    data d;
    const std::string impl = entries.front().name + "_impl";
    d.set("impl", impl);
    d.set("origin", comment(entries.size() == 1 ? entries.front().origin
                                               : std::to_string(entries.size()) + " schemas sharing their code"));
    data list{data::type::list};
    for (const ValidatorSchema& s : entries) {
      data e;
      e.set("name", s.name);
      e.set("origin", comment(s.origin));
      e.set("impl", impl);
      e.set("root", fn(s.entry == schema::kNone ? p_.root : s.entry));
      e.set("dynamic_scope", p_.uses_dynamic_scope ? "true" : "false");
      list.push_back(e);
    }
    d.set("entries", list);

    data values{data::type::list};
    for (std::size_t i = 0; i < p_.values.size(); ++i) {
      data v;
      v.set("fn", "value" + std::to_string(i));
      v.set("literal", literal(p_.values[i].dump()));
      values.push_back(v);
    }
    d.set("values", values);
    data regexes{data::type::list};
    for (std::size_t i = 0; i < p_.regexes.size(); ++i) {
      data r;
      r.set("fn", "regex" + std::to_string(i));
      r.set("literal", literal(p_.regexes[i]->source()));
      regexes.push_back(r);
    }
    d.set("regexes", regexes);

    bool dynamic = false;
    for (const Instruction& ins : p_.instructions) dynamic |= ins.op == Op::DynamicRef && ins.b == 1;
    if (dynamic) {
      data resources{data::type::list};
      for (std::size_t r = 0; r < p_.resources.size(); ++r) {
        if (p_.resources[r].dynamic_anchors.empty()) continue;
        data res;
        res.set("index", std::to_string(r));
        data anchors{data::type::list};
        for (const auto& [anchor, block] : p_.resources[r].dynamic_anchors) {
          data a;
          a.set("literal", literal(anchor));
          a.set("fn", fn(block));
          anchors.push_back(a);
        }
        res.set("anchors", anchors);
        resources.push_back(res);
      }
      data dyn;
      dyn.set("resources", resources);
      d.set("dynamic", dyn);
    }

    data blocks{data::type::list};
    for (std::uint32_t b = 0; b < p_.blocks.size(); ++b) blocks.push_back(block(b));
    d.set("blocks", blocks);
    return d;
  }

 private:
  const Program& p_;

  std::string loc(const Instruction& ins) const {
    const auto& l = p_.locations[ins.location];
    return "Loc{" + literal(l.relative) + ", " + literal(l.absolute) + "}";
  }
  const Child& kid(const Instruction& ins, std::uint32_t i) const { return p_.children[ins.child_begin + i]; }
  std::string path(const Child& k) const { return literal(p_.strings[k.path]); }

  data block(std::uint32_t b) const {
    const Block& block = p_.blocks[b];
    data d;
    d.set("fn", fn(b));
    d.set("comment", comment(block.absolute));
    d.set("resource", std::to_string(block.resource) + "u");
    d.set("collects", block.collects ? "true" : "false");
    d.set("dynamic_scope", p_.uses_dynamic_scope ? "true" : "false");
    if (!p_.uses_dynamic_scope) {
      if (block.forward != kNone) {
        d.set("forward", fn(block.forward));
      } else if (block.leaf == schema::kLeafType) {
        d.set("leaf_type", std::to_string(block.leaf_types));
      } else if (block.leaf == schema::kLeafAny) {
        d.set("leaf_any", true);
      }
    }
    if (block.object_plan != kNone) d.set("plan", plan(p_.object_plans[block.object_plan]));
    // The fast mode tests the block's `type` first (Block::fast_types: its first Type
    // instruction), as the runtime evaluator does, and skips that instruction later.
    std::uint32_t fast_type = kNone;
    if (block.fast_types != 0) {
      d.set("fast_type", std::to_string(block.fast_types));
      for (std::uint32_t i = block.begin; i < block.end && fast_type == kNone; ++i)
        if (p_.instructions[i].op == Op::Type && p_.instructions[i].a != 0) fast_type = i;
    }
    data instructions{data::type::list};
    for (std::uint32_t i = block.begin; i < block.end; ++i) {
      data ins = instruction(p_.instructions[i]);
      if (i == fast_type) ins.set("fused", true);
      instructions.push_back(ins);
    }
    d.set("instructions", instructions);
    return d;
  }

  // What the fast mode does with a member whose FastTarget is `t` (as the runtime's
  // walkObject): a leaf decided inline, else a call.
  data member(const schema::FastTarget& t) const {
    data d;
    if (t.leaf == schema::kLeafType) d.set("member_type", std::to_string(t.leaf_types));
    else if (t.leaf != schema::kLeafAny) d.set("member_fn", fn(t.block));
    return d;
  }

  static std::string mask(std::uint64_t bits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llxull", static_cast<unsigned long long>(bits));
    return buf;
  }

  data plan(const schema::ObjectPlan& plan) const {
    data d;
    const schema::NameTable& table = plan.names;
    if (plan.additional != kNone) d.set("additional", member(plan.additional_target));
    if (plan.required_count > 0) {
      d.set("has_required", true);
      d.set("required_count", std::to_string(plan.required_count));
      d.set("required_mask", mask(plan.required_mask));
    }
    std::map<std::size_t, std::vector<const schema::NameEntry*>> by_length;
    for (const auto& e : table.entries) by_length[p_.strings[e.name].size()].push_back(&e);
    data lengths{data::type::list};
    for (const auto& [length, entries] : by_length) {
      data l;
      l.set("length", std::to_string(length));
      data names{data::type::list};
      for (const schema::NameEntry* e : entries) {
        data n;
        n.set("literal", literal(p_.strings[e->name]));
        n.set("length", std::to_string(length));
        if (e->property != kNone) n.set("member", member(e->target));
        if (e->required != kNone) n.set("bit", mask(e->required_bit));
        if (e->required_before != 0) n.set("before", mask(e->required_before));
        names.push_back(n);
      }
      l.set("names", names);
      lengths.push_back(l);
    }
    d.set("lengths", lengths);
    return d;
  }

  data nameList(const std::vector<std::uint32_t>& ids) const {
    data names{data::type::list};
    for (std::uint32_t id : ids) {
      data n;
      n.set("literal", literal(p_.strings[id]));
      names.push_back(n);
    }
    return names;
  }

  data kids(const Instruction& ins, bool named, bool patterned) const {
    data list{data::type::list};
    for (std::uint32_t i = 0; i < ins.child_count; ++i) {
      const Child& k = kid(ins, i);
      data d;
      d.set("path", path(k));
      d.set("fn", fn(k.block));
      if (named) d.set("name", literal(p_.strings[k.key]));
      if (patterned) d.set("regex", "regex" + std::to_string(k.key));
      list.push_back(d);
    }
    return list;
  }

  void single(data& d, const Child& k) const {
    d.set("kid_path", path(k));
    d.set("kid_fn", fn(k.block));
  }

  data instruction(const Instruction& ins) const {
    data d;
    d.set("keyword", comment(p_.locations[ins.location].relative));
    d.set("loc", loc(ins));
    d.set("a", std::to_string(ins.a));
    d.set("b", std::to_string(ins.b));
    if (ins.fused) d.set("fused", true);
    auto flag = [&](const char* name) { d.set(name, true); };
    auto value = [&] { d.set("value", "value" + std::to_string(ins.a)); };
    switch (ins.op) {
      case Op::Fail: flag("op_fail"); break;
      case Op::Type: flag("op_type"); break;
      case Op::Const: {
        const auto& v = p_.values[ins.a];
        if (v.is_string()) {
          flag("op_const_string");
          d.set("literal", literal(v.get_ref<const std::string&>()));
          d.set("length", std::to_string(v.get_ref<const std::string&>().size()));
        } else {
          flag("op_const");
          value();
        }
        break;
      }
      case Op::Enum: {
        const auto& v = p_.values[ins.a];
        bool strings = !v.empty() && std::all_of(v.begin(), v.end(), [](const auto& e) { return e.is_string(); });
        if (strings) {
          flag("op_enum_strings");
          data list{data::type::list};
          for (std::size_t i = 0; i < v.size(); ++i) {
            data s;
            s.set("literal", literal(v[i].template get_ref<const std::string&>()));
            s.set("length", std::to_string(v[i].template get_ref<const std::string&>().size()));
            if (i + 1 == v.size()) s.set("last", true);
            list.push_back(s);
          }
          d.set("strings", list);
        } else {
          flag("op_enum");
          value();
        }
        break;
      }
      case Op::MultipleOf: flag("op_multiple_of"); value(); break;
      case Op::Minimum: case Op::Maximum: case Op::ExclusiveMinimum: case Op::ExclusiveMaximum:
        flag("op_bound");
        d.set("opname", schema::opName(ins.op));
        value();
        break;
      case Op::MinLength: flag("op_min_length"); break;
      case Op::MaxLength: flag("op_max_length"); break;
      case Op::Pattern:
        flag("op_pattern");
        d.set("regex", "regex" + std::to_string(ins.a));
        break;
      case Op::FormatAssert: flag("op_format"); break;
      case Op::MinItems: case Op::MaxItems: case Op::MinProperties: case Op::MaxProperties:
        flag("op_count");
        d.set("opname", schema::opName(ins.op));
        break;
      case Op::UniqueItems: flag("op_unique_items"); break;
      case Op::Required:
        flag("op_required");
        d.set("names", nameList(p_.name_lists[ins.a]));
        d.set("name_count", std::to_string(p_.name_lists[ins.a].size()));
        break;
      case Op::DependentRequired:
        flag("op_dependent_required");
        d.set("trigger", literal(p_.strings[ins.a]));
        d.set("names", nameList(p_.name_lists[ins.b]));
        d.set("name_count", std::to_string(p_.name_lists[ins.b].size()));
        break;
      case Op::Properties: flag("op_properties"); d.set("kids", kids(ins, true, false)); break;
      case Op::PatternProperties: flag("op_pattern_properties"); d.set("kids", kids(ins, false, true)); break;
      case Op::AdditionalProperties: {
        flag("op_additional_properties");
        d.set("names", nameList(p_.name_lists[ins.a]));
        d.set("name_count", std::to_string(p_.name_lists[ins.a].size()));
        data regexes{data::type::list};
        for (std::uint32_t r : p_.regex_lists[ins.b]) {
          data x;
          x.set("regex", "regex" + std::to_string(r));
          regexes.push_back(x);
        }
        d.set("regexes", regexes);
        d.set("regex_count", std::to_string(p_.regex_lists[ins.b].size()));
        single(d, kid(ins, 0));
        break;
      }
      case Op::PropertyNames: flag("op_property_names"); single(d, kid(ins, 0)); break;
      case Op::PrefixItems: flag("op_prefix_items"); d.set("kids", kids(ins, false, false)); break;
      case Op::Items: {
        flag("op_items");
        single(d, kid(ins, 0));
        const schema::FastTarget& t = p_.fast_targets[ins.child_begin];
        d.set("item", t.leaf == schema::kLeafType  ? "(support::typeBits(item) & " + std::to_string(t.leaf_types) + "u) != 0"
                      : t.leaf == schema::kLeafAny ? std::string("true")
                                                   : fn(t.block) + "<D>(c, item, nullptr)");
        break;
      }
      case Op::Contains: flag("op_contains"); single(d, kid(ins, 0)); break;
      case Op::UnevaluatedItems: flag("op_unevaluated_items"); single(d, kid(ins, 0)); break;
      case Op::UnevaluatedProperties: flag("op_unevaluated_properties"); single(d, kid(ins, 0)); break;
      case Op::AllOf: flag("op_all_of"); d.set("kids", kids(ins, false, false)); break;
      case Op::AnyOf: flag("op_any_of"); d.set("kids", kids(ins, false, false)); break;
      case Op::OneOf: flag("op_one_of"); d.set("kids", kids(ins, false, false)); break;
      case Op::Not: flag("op_not"); single(d, kid(ins, 0)); break;
      case Op::IfThenElse: {
        flag("op_if");
        single(d, kid(ins, 0));
        if (kid(ins, 1).block != kNone) {
          d.set("then_fn", fn(kid(ins, 1).block));
          d.set("then_path", path(kid(ins, 1)));
        }
        if (kid(ins, 2).block != kNone) {
          d.set("else_fn", fn(kid(ins, 2).block));
          d.set("else_path", path(kid(ins, 2)));
        }
        break;
      }
      case Op::DependentSchemas: flag("op_dependent_schemas"); d.set("kids", kids(ins, true, false)); break;
      case Op::Ref: flag("op_ref"); single(d, kid(ins, 0)); break;
      case Op::DynamicRef:
        single(d, kid(ins, 0));
        if (ins.b == 1) {
          flag("op_dynamic_ref");
          d.set("anchor", literal(p_.strings[ins.a]));
        } else {
          flag("op_ref");
        }
        break;
      case Op::ReadOnly: flag("op_read_only"); break;
      case Op::WriteOnly: flag("op_write_only"); break;
      case Op::ContentAssert:
        flag("op_content");
        d.set("a", ins.a ? "true" : "false");
        d.set("b", ins.b ? "true" : "false");
        break;
    }
    return d;
  }
};

data common(std::span<const ValidatorSchema> schemas, const ValidatorEmitOptions& options) {
  data d;
  d.set("version", std::string(TETHER_VERSION));
  d.set("source", comment(options.source));
  d.set("namespace", options.cpp_namespace);
  if (!options.header.empty()) d.set("header", options.header);
  (void)schemas;
  return d;
}

}  // namespace

const char* emitterVersion() { return TETHER_VERSION; }

std::string emitValidatorSource(std::span<const ValidatorSchema> schemas, const ValidatorEmitOptions& options) {
  data d = common(schemas, options);
  data list{data::type::list};
  for (std::size_t i = 0; i < schemas.size();) {
    if (schemas[i].program == nullptr) throw std::invalid_argument("emitValidatorSource: schema without a program");
    std::size_t j = i + 1;
    while (j < schemas.size() && schemas[j].program == schemas[i].program) ++j;
    list.push_back(SchemaData(*schemas[i].program).build(schemas.subspan(i, j - i)));
    i = j;
  }
  d.set("programs", list);
  mustache t = compileTemplate(kSourceTemplate);
  std::string out = t.render(d);
  if (!t.is_valid()) throw std::logic_error("validator template: " + t.error_message());
  return options.format ? formatCpp(out) : out;
}

std::string emitValidatorHeader(std::span<const ValidatorSchema> schemas, const ValidatorEmitOptions& options) {
  data d = common(schemas, options);
  data list{data::type::list};
  for (const ValidatorSchema& s : schemas) {
    data x;
    x.set("name", s.name);
    x.set("origin", comment(s.origin));
    list.push_back(x);
  }
  d.set("schemas", list);
  mustache t = compileTemplate(kHeaderTemplate);
  std::string out = t.render(d);
  return options.format ? formatCpp(out) : out;
}

std::string formatCpp(const std::string& code) {
  namespace fs = std::filesystem;
  std::string tool = "clang-format";
  if (const char* env = std::getenv("TETHER_CLANG_FORMAT")) tool = env;
  if (tool.empty() || std::system(("command -v '" + tool + "' >/dev/null 2>&1").c_str()) != 0) return code;
  std::random_device seed;
  fs::path dir = fs::temp_directory_path() / ("tether-format-" + std::to_string(seed()) + std::to_string(seed()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / ".clang-format") << kClangFormatStyle;
    std::ofstream(dir / "code.cpp", std::ios::binary) << code;
  }
  std::string command = "'" + tool + "' -i --style=file '" + (dir / "code.cpp").string() + "' >/dev/null 2>&1";
  std::string out = code;
  if (std::system(command.c_str()) == 0) {
    std::ifstream in(dir / "code.cpp", std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    out = text.str();
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return out;
}

}  // namespace tether::emit
