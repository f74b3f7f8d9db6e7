// Helpers shared by the runtime evaluator and generated validators (tether/emit): instance
// types, exact number math, code-point lengths, formats, content, and the error messages
// of the basic output, so both back ends decide and report alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tether/schema/program.h"

namespace tether::schema::support {

bool isIntegral(const nlohmann::json& number);  // 1.0 is an integer

// The TypeBits of an instance (an integral float is both a number and an integer).
[[gnu::always_inline]] inline std::uint32_t typeBits(const nlohmann::json& v) {
  using value_t = nlohmann::json::value_t;
  // Indexed by value_t: null, object, array, string, boolean, number_integer,
  // number_unsigned, number_float (decided below), binary, discarded.
  // Padded to 16 so a mask, not a compare, keeps the index in range.
  static constexpr std::uint8_t kBits[16] = {kTypeNull, kTypeObject, kTypeArray, kTypeString, kTypeBoolean,
                                             kTypeNumber | kTypeInteger, kTypeNumber | kTypeInteger, kTypeNumber,
                                             0, 0};
  static_assert(static_cast<int>(value_t::number_float) == 7 && static_cast<int>(value_t::discarded) == 9);
  const auto t = v.type();
  if (t == value_t::number_float) [[unlikely]]
    return kTypeNumber | (isIntegral(v) ? std::uint32_t{kTypeInteger} : 0u);
  return kBits[static_cast<std::size_t>(t) & 15u];
}

// The members of an object in key order, for range-for. With libstdc++ the step to the
// next member is inlined (std::map's iterator calls the out-of-line _Rb_tree_increment,
// a large share of a validator's time on wide objects); elsewhere, the map's iterators.
#if defined(__GLIBCXX__)
class MemberRange {
 public:
  using Node = std::_Rb_tree_node_base;
  using value_type = nlohmann::json::object_t::value_type;
  class iterator {
   public:
    explicit iterator(const Node* node) : node_(node) {}
    const value_type& operator*() const {
      return *static_cast<const std::_Rb_tree_node<value_type>*>(node_)->_M_valptr();
    }
    [[gnu::always_inline]] iterator& operator++() {
      const Node* x = node_;
      if (x->_M_right != nullptr) {
        x = x->_M_right;
        while (x->_M_left != nullptr) x = x->_M_left;
        node_ = x;
        return *this;
      }
      const Node* y = x->_M_parent;
      while (x == y->_M_right) {
        x = y;
        y = y->_M_parent;
      }
      node_ = x->_M_right != y ? y : x;
      return *this;
    }
    bool operator!=(const iterator& other) const { return node_ != other.node_; }

   private:
    const Node* node_;
  };
  explicit MemberRange(const nlohmann::json::object_t& members)
      : begin_(members.begin()._M_node), end_(members.end()._M_node) {}
  iterator begin() const { return iterator(begin_); }
  iterator end() const { return iterator(end_); }

 private:
  const Node* begin_;
  const Node* end_;
};
inline MemberRange members(const nlohmann::json::object_t& object) { return MemberRange(object); }
#else
inline const nlohmann::json::object_t& members(const nlohmann::json::object_t& object) { return object; }
#endif

// The members of `v`, which must be an object (no type check, no throw).
inline const nlohmann::json::object_t& objectOf(const nlohmann::json& v) {
  return *v.get_ptr<const nlohmann::json::object_t*>();
}

bool jsonEqual(const nlohmann::json& a, const nlohmann::json& b);
int compareNumbers(const nlohmann::json& a, const nlohmann::json& b);  // exact
bool isMultipleOf(const nlohmann::json& value, const nlohmann::json& divisor);  // exact
std::size_t codePointCount(std::string_view s);
bool checkFormat(Format format, std::string_view value);
bool checkContent(bool base64, bool json, std::string_view value);

// Error messages (the "error" member of an output unit), one per failing keyword.
std::string msgFalse();
std::string msgType(std::uint32_t mask, const nlohmann::json& v);
std::string msgConst(const nlohmann::json& constant);
std::string msgEnum(const nlohmann::json& v);
std::string msgMultipleOf(const nlohmann::json& v, const nlohmann::json& divisor);
std::string msgBound(Op op, const nlohmann::json& v, const nlohmann::json& bound);  // min/max
std::string msgCount(Op op, std::uint32_t n);  // min/maxLength, min/maxItems, min/maxProperties
std::string msgPattern(const std::string& source, bool limit_exceeded);
std::string msgFormat(Format format);
std::string msgUniqueItems(std::size_t i, std::size_t j);
std::string msgRequired(const std::string& name);
std::string msgDependentRequired(const std::string& trigger, const std::string& name);
std::string msgContains(std::size_t matches, std::uint32_t bound, bool too_few);
std::string msgAnyOf();
std::string msgOneOf(std::size_t passed);
std::string msgNot();
std::string msgReadOnly();
std::string msgWriteOnly();
std::string msgContent();
std::string msgDepth(std::size_t max_depth);

// Appends "/" + the escaped JSON pointer token to `path`.
void appendPointerToken(std::string& path, std::string_view token);

}  // namespace tether::schema::support
