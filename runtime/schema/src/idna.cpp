#include "idna.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "tether/schema/regex.h"
#include "unicode.h"

namespace tether::schema::detail {

namespace {

constexpr std::uint32_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700, kInitialBias = 72,
                        kInitialN = 128;

std::uint32_t adapt(std::uint32_t delta, std::uint32_t points, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / points;
  std::uint32_t k = 0;
  while (delta > ((kBase - kTMin) * kTMax) / 2) {
    delta /= kBase - kTMin;
    k += kBase;
  }
  return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
}

int digitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0' + 26;
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= 'A' && c <= 'Z') return c - 'A';
  return -1;
}

char digitChar(std::uint32_t d) { return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26)); }

// One code point as a UTF-8 string, to query PCRE2's Unicode properties.
bool hasProperty(const char* pattern, char32_t cp) {
  struct Cache {
    std::string pattern;
    std::shared_ptr<const Regex> regex;
  };
  thread_local std::vector<Cache> cache;
  const Regex* re = nullptr;
  for (auto& c : cache)
    if (c.pattern == pattern) re = c.regex.get();
  if (!re) {
    std::string error;
    auto compiled = Regex::compile(pattern, error);
    if (!compiled) return false;
    cache.push_back(Cache{pattern, compiled});
    re = compiled.get();
  }
  std::string s;
  appendUtf8(s, cp);
  return re->search(s) == MatchResult::Match;
}

bool isMark(char32_t c) { return hasProperty("^\\p{M}$", c); }
bool isGreek(char32_t c) { return hasProperty("^\\p{Greek}$", c); }
bool isHebrew(char32_t c) { return hasProperty("^\\p{Hebrew}$", c); }
bool isJapanese(char32_t c) { return hasProperty("^[\\p{Hiragana}\\p{Katakana}\\p{Han}]$", c); }
bool isPvalidCategory(char32_t c) { return hasProperty("^[\\p{Ll}\\p{Lo}\\p{Lm}\\p{Mn}\\p{Mc}\\p{Nd}]$", c); }
bool isJoiningLeft(char32_t c) { return hasProperty("^[\\p{Arabic}\\p{Syriac}\\p{Nko}\\p{Mongolian}]$", c) && !isMark(c); }

bool isVirama(char32_t c) {
  static const char32_t viramas[] = {0x94D, 0x9CD, 0xA4D, 0xACD, 0xB4D, 0xBCD, 0xC4D, 0xCCD, 0xD3B, 0xD3C,
                                     0xD4D, 0xDCA, 0xE3A, 0xEBA, 0xF84, 0x1039, 0x103A, 0x1714, 0x1734,
                                     0x17D2, 0x1A60, 0x1B44, 0x1BAA, 0x1BAB, 0x1BF2, 0x1BF3, 0x2D7F,
                                     0xA806, 0xA8C4, 0xA953, 0xA9C0, 0xAAF6, 0xABED};
  return std::find(std::begin(viramas), std::end(viramas), c) != std::end(viramas);
}

enum class Bidi { L, R, AL, AN, EN, ES, CS, ET, ON, BN, NSM, Other };

Bidi bidiClass(char32_t c) {
  static const std::pair<const char*, Bidi> classes[] = {
      {"^\\p{bidi_class=L}$", Bidi::L},   {"^\\p{bidi_class=R}$", Bidi::R},
      {"^\\p{bidi_class=AL}$", Bidi::AL}, {"^\\p{bidi_class=AN}$", Bidi::AN},
      {"^\\p{bidi_class=EN}$", Bidi::EN}, {"^\\p{bidi_class=ES}$", Bidi::ES},
      {"^\\p{bidi_class=CS}$", Bidi::CS}, {"^\\p{bidi_class=ET}$", Bidi::ET},
      {"^\\p{bidi_class=ON}$", Bidi::ON}, {"^\\p{bidi_class=BN}$", Bidi::BN},
      {"^\\p{bidi_class=NSM}$", Bidi::NSM}};
  for (auto& [pattern, cls] : classes)
    if (hasProperty(pattern, c)) return cls;
  return Bidi::Other;
}

bool isRtlLabel(const std::u32string& label) {
  for (char32_t c : label) {
    Bidi b = bidiClass(c);
    if (b == Bidi::R || b == Bidi::AL || b == Bidi::AN) return true;
  }
  return false;
}

// RFC 5893 section 2, rules 1-6.
bool bidiRule(const std::u32string& label) {
  if (label.empty()) return true;
  Bidi first = bidiClass(label[0]);
  std::size_t end = label.size();
  while (end > 0 && bidiClass(label[end - 1]) == Bidi::NSM) --end;
  if (end == 0) return false;
  Bidi last = bidiClass(label[end - 1]);
  if (first == Bidi::R || first == Bidi::AL) {
    bool en = false, an = false;
    for (char32_t c : label) {
      Bidi b = bidiClass(c);
      if (b == Bidi::L || b == Bidi::Other) return false;
      en |= b == Bidi::EN;
      an |= b == Bidi::AN;
    }
    if (en && an) return false;
    return last == Bidi::R || last == Bidi::AL || last == Bidi::EN || last == Bidi::AN;
  }
  if (first != Bidi::L) return false;
  for (char32_t c : label) {
    Bidi b = bidiClass(c);
    if (b == Bidi::R || b == Bidi::AL || b == Bidi::AN || b == Bidi::Other) return false;
  }
  return last == Bidi::L || last == Bidi::EN;
}

bool isLdh(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// RFC 5891 5.4 + RFC 5892: the code points and contextual rules of one U-label.
bool validULabel(const std::u32string& label) {
  if (label.empty() || label.front() == '-' || label.back() == '-') return false;
  if (label.size() >= 4 && label[2] == '-' && label[3] == '-') return false;
  if (isMark(label[0])) return false;
  bool arabic_indic = false, extended = false;
  for (char32_t c : label) {
    arabic_indic |= c >= 0x660 && c <= 0x669;
    extended |= c >= 0x6F0 && c <= 0x6F9;
  }
  if (arabic_indic && extended) return false;
  for (std::size_t i = 0; i < label.size(); ++i) {
    char32_t c = label[i];
    switch (c) {
      case 0xDF: case 0x3C2: case 0x6FD: case 0x6FE: case 0xF0B: case 0x3007:  // PVALID exceptions
        continue;
      case 0x640: case 0x7FA: case 0x302E: case 0x302F: case 0x3031: case 0x3032: case 0x3033:
      case 0x3034: case 0x3035: case 0x303B:  // DISALLOWED exceptions
        return false;
      case 0xB7:  // MIDDLE DOT: between two 'l'
        if (i == 0 || i + 1 >= label.size() || label[i - 1] != 'l' || label[i + 1] != 'l') return false;
        continue;
      case 0x375:  // GREEK KERAIA: followed by Greek
        if (i + 1 >= label.size() || !isGreek(label[i + 1])) return false;
        continue;
      case 0x5F3: case 0x5F4:  // HEBREW GERESH/GERSHAYIM: preceded by Hebrew
        if (i == 0 || !isHebrew(label[i - 1])) return false;
        continue;
      case 0x30FB: {  // KATAKANA MIDDLE DOT: some Hiragana, Katakana or Han in the label
        bool any = false;
        for (char32_t o : label) any |= o != 0x30FB && isJapanese(o);
        if (!any) return false;
        continue;
      }
      case 0x200D:  // ZERO WIDTH JOINER: after a virama
        if (i == 0 || !isVirama(label[i - 1])) return false;
        continue;
      case 0x200C: {  // ZERO WIDTH NON-JOINER: after a virama, or between joining letters
        if (i > 0 && isVirama(label[i - 1])) continue;
        std::size_t l = i;
        while (l > 0 && isMark(label[l - 1])) --l;
        std::size_t r = i + 1;
        while (r < label.size() && isMark(label[r])) ++r;
        if (l == 0 || r >= label.size() || !isJoiningLeft(label[l - 1]) || !isJoiningLeft(label[r])) return false;
        continue;
      }
      default:
        break;
    }
    if (c < 0x80) {
      if (!isLdh(c)) return false;
      continue;
    }
    if (!isPvalidCategory(c)) return false;
  }
  return true;
}

bool checkLdhLabel(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
  for (char c : label)
    if (!isLdh(static_cast<unsigned char>(c))) return false;
  return true;
}

bool startsWithAce(std::string_view label) {
  return label.size() >= 4 && (label[0] == 'x' || label[0] == 'X') && (label[1] == 'n' || label[1] == 'N') &&
         label[2] == '-' && label[3] == '-';
}

// An A-label ("xn--..."): decodes, is a valid U-label, and re-encodes to itself.
bool checkALabel(std::string_view label, std::u32string& decoded) {
  if (!checkLdhLabel(label)) return false;
  std::string_view body = label.substr(4);
  if (!punycodeDecode(body, decoded)) return false;
  if (std::all_of(decoded.begin(), decoded.end(), [](char32_t c) { return c < 0x80; })) return false;
  std::string again;
  if (!punycodeEncode(decoded, again)) return false;
  std::string lower(body);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (again != lower) return false;
  return validULabel(decoded);
}

std::vector<std::string> splitLabels(std::string_view host, bool idn) {
  std::vector<std::string> labels(1);
  for (std::size_t i = 0; i < host.size();) {
    std::size_t start = i;
    char32_t c = decodeUtf8(host, i);
    if (c == '.' || (idn && (c == 0x3002 || c == 0xFF0E || c == 0xFF61))) labels.emplace_back();
    else labels.back() += std::string(host.substr(start, i - start));
  }
  return labels;
}

std::u32string toCodePoints(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) out += decodeUtf8(s, i);
  return out;
}

}  // namespace

bool punycodeDecode(std::string_view input, std::u32string& output) {
  output.clear();
  std::size_t basic = input.rfind('-');
  if (basic == std::string_view::npos) basic = 0;
  for (std::size_t j = 0; j < basic; ++j) {
    if (static_cast<unsigned char>(input[j]) >= 0x80) return false;
    output += static_cast<char32_t>(input[j]);
  }
  std::uint64_t n = kInitialN, i = 0, bias = kInitialBias;
  for (std::size_t in = basic > 0 ? basic + 1 : 0; in < input.size();) {
    std::uint64_t old = i, w = 1;
    for (std::uint64_t k = kBase;; k += kBase) {
      if (in >= input.size()) return false;
      int digit = digitValue(input[in++]);
      if (digit < 0) return false;
      i += static_cast<std::uint64_t>(digit) * w;
      if (i > 0x7FFFFFFF) return false;
      std::uint64_t t = k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
      if (static_cast<std::uint64_t>(digit) < t) break;
      w *= kBase - t;
      if (w > 0x7FFFFFFF) return false;
    }
    auto points = static_cast<std::uint32_t>(output.size() + 1);
    bias = adapt(static_cast<std::uint32_t>(i - old), points, old == 0);
    n += i / points;
    i %= points;
    if (n > 0x10FFFF) return false;
    output.insert(output.begin() + static_cast<std::ptrdiff_t>(i), static_cast<char32_t>(n));
    ++i;
  }
  return true;
}

bool punycodeEncode(const std::u32string& input, std::string& output) {
  output.clear();
  for (char32_t c : input)
    if (c < 0x80) output += static_cast<char>(c);
  std::size_t basic = output.size(), handled = basic;
  if (basic > 0) output += '-';
  std::uint64_t n = kInitialN, delta = 0, bias = kInitialBias;
  while (handled < input.size()) {
    std::uint64_t m = 0x10FFFF + 1;
    for (char32_t c : input)
      if (c >= n && c < m) m = c;
    delta += (m - n) * (handled + 1);
    n = m;
    for (char32_t c : input) {
      if (c < n) ++delta;
      if (c != n) continue;
      std::uint64_t q = delta;
      for (std::uint64_t k = kBase;; k += kBase) {
        std::uint64_t t = k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
        if (q < t) break;
        output += digitChar(static_cast<std::uint32_t>(t + (q - t) % (kBase - t)));
        q = (q - t) / (kBase - t);
      }
      output += digitChar(static_cast<std::uint32_t>(q));
      bias = adapt(static_cast<std::uint32_t>(delta), static_cast<std::uint32_t>(handled + 1), handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return true;
}

bool checkHostname(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  // Fast path, no allocation: plain LDH labels (no "xn--" label, so no Bidi rule either).
  bool plain = true;
  for (std::size_t start = 0;;) {
    std::size_t dot = host.find('.', start);
    std::string_view label = host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
    if (startsWithAce(label)) {
      plain = false;
      break;
    }
    if (!checkLdhLabel(label)) return false;
    if (label.size() >= 4 && label[2] == '-' && label[3] == '-') return false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (plain) return true;
  auto labels = splitLabels(host, false);
  bool rtl = false;
  std::vector<std::u32string> ulabels;
  for (const std::string& label : labels) {
    if (!checkLdhLabel(label)) return false;
    if (startsWithAce(label)) {
      std::u32string decoded;
      if (!checkALabel(label, decoded)) return false;
      rtl |= isRtlLabel(decoded);
      ulabels.push_back(decoded);
    } else {
      if (label.size() >= 4 && label[2] == '-' && label[3] == '-') return false;
      ulabels.push_back(toCodePoints(label));
    }
  }
  if (rtl)
    for (auto& u : ulabels)
      if (!bidiRule(u)) return false;
  return true;
}

bool checkIdnHostname(std::string_view host) {
  if (host.empty()) return false;
  auto labels = splitLabels(host, true);
  std::size_t total = 0;
  bool rtl = false;
  std::vector<std::u32string> ulabels;
  for (const std::string& label : labels) {
    if (label.empty()) return false;
    std::u32string u = toCodePoints(label);
    bool ascii = std::all_of(u.begin(), u.end(), [](char32_t c) { return c < 0x80; });
    std::size_t alabel_size = label.size();
    if (ascii && startsWithAce(label)) {
      if (!checkALabel(label, u)) return false;
    } else if (ascii) {
      if (!checkLdhLabel(label)) return false;
      if (label.size() >= 4 && label[2] == '-' && label[3] == '-') return false;
    } else {
      if (!validULabel(u)) return false;
      std::string encoded;
      punycodeEncode(u, encoded);
      alabel_size = encoded.size() + 4;
      if (alabel_size > 63) return false;
    }
    total += alabel_size + 1;
    rtl |= isRtlLabel(u);
    ulabels.push_back(std::move(u));
  }
  if (total - 1 > 253) return false;
  if (rtl)
    for (auto& u : ulabels)
      if (!bidiRule(u)) return false;
  return true;
}

}  // namespace tether::schema::detail
