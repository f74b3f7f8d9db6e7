// The validator emitter. A set of schemas entering one Program becomes:
//  - the Program itself, embedded as text (tether::schema::writeProgram) and read once at
//    first use (tether::schema::gen::Linked): the detailed mode (evaluate_<name>) and the
//    cold keywords of the fast mode run the runtime evaluator on it;
//  - one function per Block that the fast mode (validate_<name>) runs often, specialized:
//    its `type`, its object walk (a switch on the property names, the required names as a
//    bit mask), `items`, `$ref`; every other instruction is one call into the runtime;
//  - the entry points declared in the header.
// The Blocks may be split between translation units (balanced by size); each unit declares
// only the functions it calls that another unit defines.
#include "tether/emit/validators.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>

#include "tether/emit/printer.h"
#include "tether/schema/program_io.h"

#ifndef TETHER_VERSION
#define TETHER_VERSION "0.0.0"
#endif

namespace tether::emit {

namespace {

using schema::Block;
using schema::FastTarget;
using schema::Instruction;
using schema::kNone;
using schema::Op;
using schema::Program;

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

// Text safe inside a // comment (no line break, no trailing backslash).
std::string comment(std::string_view s) {
  std::string out;
  for (unsigned char c : s) out += (c < 0x20 || c == '\\' || c >= 0x7F) ? '?' : static_cast<char>(c);
  return out;
}

std::string fn(std::uint32_t block) { return "b" + std::to_string(block); }

std::string mask(std::uint64_t bits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llxull", static_cast<unsigned long long>(bits));
  return buf;
}

std::string hex64(std::uint64_t bits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%016llxull", static_cast<unsigned long long>(bits));
  return buf;
}

// The code of one Program: which Blocks get a function, their text, and who calls whom.
class ProgramCode {
 public:
  ProgramCode(const Program& p, std::span<const ValidatorSchema> entries) : p_(p), entries_(entries) {
    generated_.assign(p.blocks.size(), false);
    hooked_.assign(p.blocks.size(), false);
    if (!p.uses_dynamic_scope)
      for (std::uint32_t b = 0; b < p.blocks.size(); ++b) generated_[b] = worthCode(b);
    reach();
    body_.resize(p.blocks.size());
    callees_.resize(p.blocks.size());
    for (std::uint32_t b : order_) body_[b] = blockText(b);
  }

  const Program& program() const { return p_; }
  // The functions, callees before callers as far as cycles allow.
  const std::vector<std::uint32_t>& order() const { return order_; }
  const std::string& text(std::uint32_t b) const { return body_[b]; }
  const std::vector<std::uint32_t>& callees(std::uint32_t b) const { return callees_[b]; }
  bool hooked(std::uint32_t b) const { return hooked_[b]; }
  // The block validate_<entry> starts at, and whether it has a function.
  std::uint32_t entryBlock(const ValidatorSchema& s) const {
    std::uint32_t e = s.entry == kNone ? p_.root : s.entry;
    if (!p_.uses_dynamic_scope && p_.blocks[e].forward != kNone) e = p_.blocks[e].forward;
    return e;
  }
  bool hasFunction(std::uint32_t b) const { return generated_[b] && reached_[b]; }

 private:
  const Program& p_;
  std::span<const ValidatorSchema> entries_;
  std::vector<bool> generated_;  // may have a function (runs in the fast mode's shape)
  std::vector<bool> reached_;    // reached from an entry by generated code or the runtime
  std::vector<bool> hooked_;     // the runtime may call its function
  std::vector<std::uint32_t> order_;
  std::vector<std::string> body_;
  std::vector<std::vector<std::uint32_t>> callees_;

  const FastTarget& childTarget(const Instruction& ins) const { return p_.fast_targets[ins.child_begin]; }

  // A Block gets a function when it walks something: an object's members, an array's
  // items, a `$ref` beside other keywords. A Block that only tests the instance itself
  // (type, enum, pattern...) runs as fast in the runtime, and most Blocks are of that
  // kind (parameters, leaves); generated code calls the runtime for them.
  bool worthCode(std::uint32_t b) const {
    const Block& block = p_.blocks[b];
    if (block.collects || block.leaf != schema::kLeafNone || block.forward != kNone) return false;
    if (block.object_plan != kNone) return true;
    for (std::uint32_t f = block.fast_begin; f < block.fast_end; ++f) {
      const Instruction& ins = p_.instructions[p_.fast_code[f]];
      if ((ins.op == Op::Items || inlined(ins)) && ins.op != Op::Type && childTarget(ins).leaf != schema::kLeafAny)
        return true;
    }
    return false;
  }

  // Inline in generated code: the instruction's child (or children) are called directly.
  static bool inlined(const Instruction& ins) {
    return ins.op == Op::Type || ins.op == Op::Ref || ins.op == Op::Items || (ins.op == Op::DynamicRef && ins.b == 0);
  }

  // Blocks called by the generated code of `b` (resolved targets).
  std::vector<std::uint32_t> generatedCalls(std::uint32_t b) const {
    std::vector<std::uint32_t> out;
    const Block& block = p_.blocks[b];
    auto add = [&](const FastTarget& t) {
      if (t.block != kNone && t.leaf == schema::kLeafNone) out.push_back(t.block);
    };
    if (block.object_plan != kNone) {
      const schema::ObjectPlan& plan = p_.object_plans[block.object_plan];
      for (const schema::NameEntry& e : plan.names.entries) add(e.target);
      add(plan.additional_target);
    }
    for (std::uint32_t f = block.fast_begin; f < block.fast_end; ++f) {
      const Instruction& ins = p_.instructions[p_.fast_code[f]];
      if (inlined(ins) && ins.op != Op::Type) add(childTarget(ins));
    }
    return out;
  }

  // Blocks the runtime evaluates for `b` when `b` runs in the runtime (all its children),
  // or, for a block with a function, for its delegated instructions.
  std::vector<std::uint32_t> runtimeCalls(std::uint32_t b, bool delegated_only) const {
    std::vector<std::uint32_t> out;
    const Block& block = p_.blocks[b];
    auto addInstruction = [&](const Instruction& ins) {
      for (std::uint32_t k = 0; k < ins.child_count; ++k) {
        std::uint32_t c = p_.children[ins.child_begin + k].block;
        if (c != kNone) out.push_back(c);
      }
    };
    if (delegated_only) {
      for (std::uint32_t f = block.fast_begin; f < block.fast_end; ++f) {
        const Instruction& ins = p_.instructions[p_.fast_code[f]];
        if (!inlined(ins)) addInstruction(ins);
      }
    } else {
      for (std::uint32_t i = block.begin; i < block.end; ++i) addInstruction(p_.instructions[i]);
      for (const auto& r : p_.resources)
        for (const auto& anchor : r.dynamic_anchors) out.push_back(anchor.second);
    }
    return out;
  }

  std::uint32_t resolve(std::uint32_t b) const {
    return !p_.uses_dynamic_scope && p_.blocks[b].forward != kNone ? p_.blocks[b].forward : b;
  }

  // Which blocks get a function (reached by generated code, or by the runtime: hooked),
  // and their order: a depth-first post-order from the entries, so callees come first.
  void reach() {
    reached_.assign(p_.blocks.size(), false);
    std::vector<bool> runtime_seen(p_.blocks.size(), false);
    std::vector<std::uint8_t> state(p_.blocks.size(), 0);  // 1 on the stack, 2 done
    // Blocks the runtime evaluates: those with a function become hooks.
    std::vector<std::uint32_t> runtime_work;
    std::vector<std::uint32_t> roots;
    for (const ValidatorSchema& s : entries_) roots.push_back(entryBlock(s));
    auto visitRuntime = [&](std::uint32_t b) { runtime_work.push_back(resolve(b)); };
    // Depth-first over generated calls (iterative: schemas can nest deeply).
    auto dfs = [&](std::uint32_t start) {
      if (state[start] != 0) return;
      struct Frame {
        std::uint32_t block;
        std::vector<std::uint32_t> next;
        std::size_t i;
      };
      std::vector<Frame> stack;
      state[start] = 1;
      stack.push_back({start, generatedCalls(start), 0});
      while (!stack.empty()) {
        Frame& f = stack.back();
        if (f.i < f.next.size()) {
          std::uint32_t c = f.next[f.i++];
          if (!generated_[c]) {
            visitRuntime(c);
          } else if (state[c] == 0) {
            state[c] = 1;
            std::vector<std::uint32_t> calls = generatedCalls(c);
            stack.push_back({c, std::move(calls), 0});
          }
          continue;
        }
        std::uint32_t b = f.block;
        state[b] = 2;
        reached_[b] = true;
        order_.push_back(b);
        for (std::uint32_t c : runtimeCalls(b, true)) visitRuntime(c);
        stack.pop_back();
      }
    };
    auto drain = [&] {
      while (!runtime_work.empty()) {
        std::uint32_t b = runtime_work.back();
        runtime_work.pop_back();
        if (generated_[b]) {
          hooked_[b] = true;
          dfs(b);
          continue;
        }
        if (runtime_seen[b]) continue;
        runtime_seen[b] = true;
        for (std::uint32_t c : runtimeCalls(b, false)) visitRuntime(c);
      }
    };
    for (std::uint32_t r : roots) {
      if (generated_[r]) dfs(r);
      else visitRuntime(r);
      drain();
    }
  }

  // The expression that applies target `t` to `value` in the fast mode.
  std::string apply(const FastTarget& t, const std::string& value, std::uint32_t caller) {
    if (t.leaf == schema::kLeafType) return "is(" + value + ", " + std::to_string(t.leaf_types) + "u)";
    if (t.leaf == schema::kLeafAny) return "true";
    if (generated_[t.block]) {
      callees_[caller].push_back(t.block);
      return fn(t.block) + "(c, " + value + ")";
    }
    return "c.block(" + std::to_string(t.block) + ", " + value + ")";
  }
  // "if (!<apply>) return false;", or nothing for a target that accepts everything.
  std::string check(const FastTarget& t, const std::string& value, std::uint32_t caller) {
    if (t.block == kNone || t.leaf == schema::kLeafAny) return "";
    return "if (!" + apply(t, value, caller) + ") return false;";
  }

  std::string blockText(std::uint32_t b) {
    const Block& block = p_.blocks[b];
    Printer out;
    out.indent();
    std::size_t start = 0;
    if (block.fast_types != 0)
      out.print("if (!depth || !is(v, $types$u)) return false;\n", {{"types", std::to_string(block.fast_types)}});
    else
      out.print("if (!depth) return false;\n");
    start = out.text().size();
    if (block.object_plan != kNone) objectWalk(out, b, p_.object_plans[block.object_plan]);
    for (std::uint32_t f = block.fast_begin; f < block.fast_end; ++f) {
      const std::uint32_t i = p_.fast_code[f];
      const Instruction& ins = p_.instructions[i];
      const std::string keyword = comment(p_.locations[ins.location].relative);
      switch (ins.op) {
        case Op::Type:
          out.print("if (!is(v, $types$u)) return false;\n", {{"types", std::to_string(ins.a)}});
          break;
        case Op::Ref:
        case Op::DynamicRef:
          if (inlined(ins)) {
            std::string line = check(childTarget(ins), "v", b);
            if (!line.empty()) out.print("$line$  // $keyword$\n", {{"line", line}, {"keyword", keyword}});
            break;
          }
          [[fallthrough]];
        default:
          if (ins.op == Op::Items && childTarget(ins).leaf == schema::kLeafAny) break;  // accepts every item
          if (ins.op == Op::Items) {
            out.print("if (!eachItem($first$u, v, [&](const json& item) { return $apply$; })) return false;\n",
                      {{"first", std::to_string(ins.a)}, {"apply", apply(childTarget(ins), "item", b)}});
            break;
          }
          out.print("if (!c.instruction($i$, v)) return false;  // $keyword$\n",
                    {{"i", std::to_string(i)}, {"keyword", keyword}});
      }
    }
    out.print("return true;\n");
    out.outdent();
    out.print("}\n");
    // The instance is named only where something reads it.
    const bool uses = block.fast_types != 0 || out.text().size() > start + std::string_view("  return true;\n}\n").size();
    Printer head;
    head.print("// $where$\nbool $fn$(Run& c, const json&$v$) {\n  Depth depth(c);\n",
               {{"where", comment(block.absolute)}, {"fn", fn(b)}, {"v", uses ? " v" : ""}});
    return head.take() + out.take();
  }

  // The fast mode's walk over an object's members (the runtime's walkObject, unrolled).
  void objectWalk(Printer& out, std::uint32_t b, const schema::ObjectPlan& plan) {
    std::map<std::size_t, std::vector<std::string>> by_length;
    bool acts = plan.required_count > 0;
    for (const schema::NameEntry& e : plan.names.entries) {
      const std::string& name = p_.strings[e.name];
      std::string actions;
      if (e.required_before != 0)
        actions += "if ((seen & " + mask(e.required_before) + ") != " + mask(e.required_before) + ") return false; ";
      if (e.required_bit != 0) actions += "seen |= " + mask(e.required_bit) + "; ";
      if (e.property != kNone) {
        std::string c = check(e.target, "member", b);
        if (!c.empty()) actions += c + " ";
        actions += "continue;";
      } else {
        actions += "break;";
      }
      if (e.property != kNone || e.required_bit != 0) acts = true;
      by_length[name.size()].push_back("if (named(key, " + cppLiteral(name) + ")) { " + actions + " }");
    }
    std::string additional = check(plan.additional_target, "member", b);
    if (!additional.empty()) acts = true;
    if (!acts) return;
    out.print("if (v.is_object()) {\n");
    out.indent();
    out.print("const json::object_t& object = objectOf(v);\n");
    if (plan.required_count > 0)
      out.print("if (object.size() < $n$u) return false;\nstd::uint64_t seen = 0;\n",
                {{"n", std::to_string(plan.required_count)}});
    out.print("for (const auto& [key, member] : members(object)) {\n");
    out.indent();
    if (!by_length.empty()) {
      out.print("switch (key.size()) {\n");
      out.indent();
      for (const auto& [length, lines] : by_length) {
        out.print("case $n$:\n", {{"n", std::to_string(length)}});
        out.indent();
        for (const std::string& line : lines) out.print("$line$\n", {{"line", line}});
        out.print("break;\n");
        out.outdent();
      }
      out.print("default:\n  break;\n");
      out.outdent();
      out.print("}\n");
    }
    if (!additional.empty()) out.print("$line$  // additionalProperties\n", {{"line", additional}});
    out.outdent();
    out.print("}\n");
    if (plan.required_count > 0)
      out.print("if ((seen & $m$) != $m$) return false;\n", {{"m", mask(plan.required_mask)}});
    out.outdent();
    out.print("}\n");
  }
};

// The opening comment of every generated file.
void banner(Printer& out, const ValidatorEmitOptions& options) {
  out.print(
      "// Generated by tether $version$ (validator emitter). Do not edit.\n"
      "// Source: $source$.\n",
      {{"version", TETHER_VERSION}, {"source", comment(options.source)}});
}

// The Program as a string literal, ~100 characters a line.
void programLiteral(Printer& out, const std::string& text) {
  constexpr std::size_t kChunk = 96;
  for (std::size_t i = 0; i < text.size(); i += kChunk) {
    std::string_view chunk = std::string_view(text).substr(i, kChunk);
    out.print("$s$\n", {{"s", cppLiteral(chunk)}});
  }
  if (text.empty()) out.print("\"\"\n");
}

// Splits the functions of `code` between `parts` units, in their order, balanced by text
// size; the first unit also holds the Program's text (`data` bytes).
std::vector<std::size_t> assignParts(const ProgramCode& code, std::size_t parts, std::size_t data) {
  std::vector<std::size_t> part(code.program().blocks.size(), 0);
  std::size_t total = data;
  for (std::uint32_t b : code.order()) total += code.text(b).size();
  const double share = static_cast<double>(total) / static_cast<double>(parts);
  std::size_t used = data, current = 0;
  for (std::uint32_t b : code.order()) {
    while (current + 1 < parts && static_cast<double>(used) >= share * static_cast<double>(current + 1)) ++current;
    part[b] = current;
    used += code.text(b).size();
  }
  return part;
}

// One program's code in `parts` units (appended to `units`), in namespace `impl`.
void emitProgram(std::vector<Printer>& units, std::span<const ValidatorSchema> entries, const std::string& impl) {
  const Program& p = *entries.front().program;
  const std::size_t parts = units.size();
  ProgramCode code(p, entries);
  const std::string text = schema::writeProgram(p);
  // A string literal costs the compiler next to nothing: the data weighs little.
  std::vector<std::size_t> part = assignParts(code, parts, text.size() / 8);

  for (std::size_t u = 0; u < parts; ++u) {
    Printer& out = units[u];
    // The directive brings the runtime's functions; the declarations name its types again,
    // because a using-directive's names count as the global namespace's, and a spec type of
    // the same name (AWS SWF has a `Run`) in the user's namespace would hide them.
    out.print("namespace $impl$ {\n\nusing namespace ::tether::schema::gen;\nusing ::tether::schema::gen::Depth;\n"
              "using ::tether::schema::gen::HookEntry;\nusing ::tether::schema::gen::Linked;\n"
              "using ::tether::schema::gen::Run;\nusing ::tether::schema::gen::Shape;\n"
              "using ::tether::schema::support::members;\nusing ::tether::schema::support::objectOf;\n\n",
              {{"impl", impl}});
    // Declarations: the Program, the other units' hooks, the functions called before (or
    // without) their definition here.
    out.print("const Linked& linked();\n");
    if (u == 0)
      for (std::size_t o = 1; o < parts; ++o) out.print("std::span<const HookEntry> hooks$n$();\n", {{"n", std::to_string(o + 1)}});
    std::vector<bool> defined(p.blocks.size(), false), declared(p.blocks.size(), false);
    std::vector<std::uint32_t> mine;
    for (std::uint32_t b : code.order())
      if (part[b] == u) mine.push_back(b);
    std::vector<std::uint32_t> declare;
    for (std::uint32_t b : mine) {
      for (std::uint32_t c : code.callees(b))
        if (!defined[c] && !declared[c] && c != b) {
          declared[c] = true;
          declare.push_back(c);
        }
      defined[b] = true;
    }
    std::sort(declare.begin(), declare.end());
    for (std::uint32_t b : declare) out.print("bool $fn$(Run& c, const json& v);\n", {{"fn", fn(b)}});
    out.print("\n");
    for (std::uint32_t b : mine) {
      out.raw(code.text(b));
      out.print("\n");
    }
    // The hooks: the functions of this unit the runtime may call.
    std::vector<std::string> hooks;
    for (std::uint32_t b : mine)
      if (code.hooked(b)) hooks.push_back("{" + std::to_string(b) + ", &" + fn(b) + "}");
    const std::string getter = "hooks" + std::to_string(u + 1);
    if (hooks.empty()) {
      out.print("std::span<const HookEntry> $g$() { return {}; }\n", {{"g", getter}});
    } else {
      out.print("// The functions the runtime evaluator calls for these Blocks (see linked.h).\n"
                "const HookEntry kHooks[] = {\n");
      out.indent(2);
      for (std::size_t i = 0; i < hooks.size(); i += 6) {
        std::string line;
        for (std::size_t j = i; j < std::min(hooks.size(), i + 6); ++j) line += hooks[j] + ", ";
        line.pop_back();
        out.print("$l$\n", {{"l", line}});
      }
      out.outdent(2);
      out.print("};\nstd::span<const HookEntry> $g$() { return kHooks; }\n", {{"g", getter}});
    }
    if (u == 0) {
      out.print("\n// The Program these validators were generated from (tether::schema::writeProgram).\n"
                "const char kProgram[] =\n");
      out.indent(2);
      programLiteral(out, text);
      out.outdent(2);
      std::string all = "hooks1()";
      for (std::size_t o = 1; o < parts; ++o) all += ", hooks" + std::to_string(o + 1) + "()";
      out.print(
          ";\n\nconst Linked& linked() {\n"
          "  static const Linked program({kProgram, sizeof kProgram - 1}, Shape{$blocks$u, $ins$u, $fp$}, {$all$});\n"
          "  return program;\n"
          "}\n",
          {{"blocks", std::to_string(p.blocks.size())},
           {"ins", std::to_string(p.instructions.size())},
           {"fp", hex64(schema::fastFingerprint(p))},
           {"all", all}});
    }
    out.print("\n}  // namespace $impl$\n", {{"impl", impl}});
  }

  // The entry points, with the function they start at (or in the first unit).
  for (Printer& out : units) out.print("\n");
  for (const ValidatorSchema& s : entries) {
    std::uint32_t e = code.entryBlock(s);
    const bool has = code.hasFunction(e);
    Printer& out = units[has ? part[e] : 0];
    std::string fast = has ? "&" + impl + "::" + fn(e) : std::to_string(s.entry == kNone ? p.root : s.entry) + "u";
    // (Where each schema comes from is said in the header.)
    out.print(
        "bool validate_$name$(const json& instance, const EvaluateOptions& options) { return validate($impl$::linked(), instance, options, $fast$); }\n"
        "void evaluate_$name$(const json& instance, Result& result, const EvaluateOptions& options) { evaluate($impl$::linked(), $entry$u, instance, result, options); }\n",
        {{"name", s.name},
         {"impl", impl},
         {"fast", fast},
         {"entry", std::to_string(s.entry == kNone ? p.root : s.entry)}});
  }
}

void unitStart(Printer& out, const ValidatorEmitOptions& options) {
  banner(out, options);
  out.print(
      "// validate_<name>: fast boolean mode (first error); evaluate_<name>: every error, in the\n"
      "// basic output format, identical to tether::schema::evaluate on the same schema.\n");
  if (!options.header.empty()) out.print("#include \"$h$\"\n", {{"h", options.header}});
  out.print(
      "\n#include <cstdint>\n#include <span>\n\n#include <tether/schema/linked.h>\n\nnamespace $ns$ {\n\n"
      "using ::tether::schema::EvaluateOptions;\nusing ::tether::schema::Result;\nusing ::tether::schema::gen::evaluate;\n"
      "using ::tether::schema::gen::json;\nusing ::tether::schema::gen::validate;\n\n",
      {{"ns", options.cpp_namespace}});
}

}  // namespace

const char* emitterVersion() { return TETHER_VERSION; }

std::vector<std::string> emitValidatorSources(std::span<const ValidatorSchema> schemas,
                                              const ValidatorEmitOptions& options, std::size_t parts) {
  parts = std::max<std::size_t>(parts, 1);
  std::vector<Printer> units(parts);
  for (Printer& u : units) unitStart(u, options);
  for (std::size_t i = 0; i < schemas.size();) {
    if (schemas[i].program == nullptr) throw std::invalid_argument("emitValidatorSource: schema without a program");
    std::size_t j = i + 1;
    while (j < schemas.size() && schemas[j].program == schemas[i].program) ++j;
    // One namespace per Program: "impl" when there is one, else named after its first schema.
    const bool only = i == 0 && j == schemas.size();
    emitProgram(units, schemas.subspan(i, j - i), only ? std::string("impl") : schemas[i].name + "_impl");
    i = j;
  }
  std::vector<std::string> out;
  for (Printer& u : units) {
    u.print("\n}  // namespace $ns$\n", {{"ns", options.cpp_namespace}});
    out.push_back(options.format ? formatCpp(u.text()) : u.take());
  }
  return out;
}

std::string emitValidatorSource(std::span<const ValidatorSchema> schemas, const ValidatorEmitOptions& options) {
  return emitValidatorSources(schemas, options, 1).front();
}

std::string emitValidatorHeader(std::span<const ValidatorSchema> schemas, const ValidatorEmitOptions& options) {
  Printer out;
  banner(out, options);
  out.print(
      "#pragma once\n\n#include <nlohmann/json.hpp>\n\n#include <tether/schema/evaluator.h>\n"
      "#include <tether/schema/options.h>\n\nnamespace $ns$ {\n\n",
      {{"ns", options.cpp_namespace}});
  for (const ValidatorSchema& s : schemas)
    out.print(
        "// $origin$\n"
        "bool validate_$name$(const nlohmann::json& instance, const ::tether::schema::EvaluateOptions& options = {});\n"
        "void evaluate_$name$(const nlohmann::json& instance, ::tether::schema::Result& result,\n"
        "                       const ::tether::schema::EvaluateOptions& options = {});\n",
        {{"origin", comment(s.origin)}, {"name", s.name}});
  out.print("\n}  // namespace $ns$\n", {{"ns", options.cpp_namespace}});
  return options.format ? formatCpp(out.text()) : out.take();
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
