// The value of a generated union (oneOf, anyOf): exactly one of its alternatives, as
// std::variant holds one, at a fraction of std::variant's compile cost.
//
//   Pet pet = tether::model::parse<Pet>(json);
//   if (const Cat* cat = pet.value.getIf<Cat>()) ...
//   pet.value.visit([](const auto& alternative) { ... });
//   pet.value = Dog{.name = "Rex"};
//
// Why not std::variant: a spec's models declare hundreds of distinct unions (Stripe's
// expandable fields make about 200), and each std::variant<...> instantiates libstdc++'s
// layered storage and constrained overload sets, and its destructor, which every struct
// holding it needs, its visitation tables. Here an alternative's destruction, copy, move
// and comparison are plain functions of the alternative's type, shared by every union
// that has it and reached through one table per operation, so a union that is only
// destroyed compiles only its alternatives' destructors. Stripe's models.h went from
// 1.19 GB to 0.80 GB of compiler memory (g++ -fsyntax-only); a OneOf with a single table
// of all four operations had cost 1.15 GB, since every destructor pulled in every copy.
//
// Like std::variant, a OneOf is never empty: it starts as its first alternative,
// value-initialized, and every assignment builds the new value before it drops the old.
// Alternatives must be nothrow move constructible (all model types are).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace tether::model {

// What a union does to one alternative, over raw storage: plain functions of the
// alternative's type, shared by every union that has it. Each union keeps one table per
// operation, so that a union that is only destroyed (every struct that holds one, through
// its constructor's cleanup) does not also compile its alternatives' copies and equality.
using DestroyAlternative = void (*)(void* value) noexcept;
using CopyAlternative = void (*)(void* to, const void* from);      // copy-constructs into raw storage
using MoveAlternative = void (*)(void* to, void* from) noexcept;   // move-constructs into raw storage
using CompareAlternatives = bool (*)(const void* a, const void* b);

template <class T>
struct LifetimeOf {
  static void destroy(void* value) noexcept { static_cast<T*>(value)->~T(); }
  static void copy(void* to, const void* from) { ::new (to) T(*static_cast<const T*>(from)); }
  static void move(void* to, void* from) noexcept { ::new (to) T(std::move(*static_cast<T*>(from))); }
  static bool equal(const void* a, const void* b) { return *static_cast<const T*>(a) == *static_cast<const T*>(b); }
};

// Thrown by OneOf::get for an alternative the union does not hold.
class BadAlternative : public std::logic_error {
 public:
  BadAlternative() : std::logic_error("the union holds another alternative") {}
};

// A union seen without its alternatives' types, for the runtime's reading (model.cpp):
// it can replace the held value with alternative `index`, moved from `value`.
class OneOfRef {
 public:
  OneOfRef(void* storage, std::size_t* index, const DestroyAlternative* destroy, const MoveAlternative* move)
      : storage_(storage), index_(index), destroy_(destroy), move_(move) {}
  void assign(std::size_t index, void* value) noexcept {
    destroy_[*index_](storage_);
    move_[index](storage_, value);
    *index_ = index;
  }

 private:
  void* storage_;
  std::size_t* index_;
  const DestroyAlternative* destroy_;
  const MoveAlternative* move_;
};

namespace one_of_detail {

template <std::size_t I, class T, class... Rest>
struct Nth {
  using type = typename Nth<I - 1, Rest...>::type;
};
template <class T, class... Rest>
struct Nth<0, T, Rest...> {
  using type = T;
};

inline constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// The index of T among Ts when it appears exactly once, else kNone.
template <class T, class... Ts>
constexpr std::size_t indexOf() {
  constexpr bool same[] = {std::is_same_v<T, Ts>...};
  std::size_t found = kNone;
  for (std::size_t i = 0; i < sizeof...(Ts); ++i) {
    if (!same[i]) continue;
    if (found != kNone) return kNone;
    found = i;
  }
  return found;
}

// The alternative a value of type U becomes: the one of U's own type, else the first one
// constructible from it; kNone when there is none.
template <class U, class... Ts>
constexpr std::size_t choose() {
  constexpr std::size_t exact = indexOf<std::remove_cvref_t<U>, Ts...>();
  if (exact != kNone) return exact;
  constexpr bool constructible[] = {std::is_constructible_v<Ts, U&&>...};
  for (std::size_t i = 0; i < sizeof...(Ts); ++i) {
    if (constructible[i]) return i;
  }
  return kNone;
}

constexpr std::size_t largest(std::initializer_list<std::size_t> sizes) {
  std::size_t most = 1;
  for (std::size_t size : sizes) most = size > most ? size : most;
  return most;
}

// Constraints of OneOf's converting constructor and assignment, in the order they are
// checked: the first keeps copies and moves of the union itself from computing the second.
template <class U, class Self>
concept NotSelf = !std::is_same_v<std::remove_cvref_t<U>, Self>;
template <class U, class... Ts>
concept ConvertsToOne = choose<U, Ts...>() != kNone;

}  // namespace one_of_detail

template <class... Ts>
class OneOf {
  static_assert(sizeof...(Ts) > 0, "a union has at least one alternative");

 public:
  // The type of alternative I.
  template <std::size_t I>
  using Alternative = typename one_of_detail::Nth<I, Ts...>::type;
  // The index of alternative T (T must appear once among the alternatives).
  template <class T>
  static constexpr std::size_t indexOf = one_of_detail::indexOf<T, Ts...>();
  static constexpr std::size_t size = sizeof...(Ts);

  OneOf() { ::new (static_cast<void*>(storage_)) Alternative<0>(); }
  OneOf(const OneOf& other) : index_(other.index_) { copiers()[index_](storage_, other.storage_); }
  OneOf(OneOf&& other) noexcept : index_(other.index_) { movers()[index_](storage_, other.storage_); }
  // From a value of one of the alternatives (or one that converts to one: the first).
  template <class U>
    requires one_of_detail::NotSelf<U, OneOf> && one_of_detail::ConvertsToOne<U, Ts...>
  OneOf(U&& value)  // NOLINT(google-explicit-constructor): as std::variant
      : index_(one_of_detail::choose<U, Ts...>()) {
    ::new (static_cast<void*>(storage_)) Alternative<one_of_detail::choose<U, Ts...>()>(std::forward<U>(value));
  }
  ~OneOf() { destroyers()[index_](storage_); }

  OneOf& operator=(const OneOf& other) {
    if (this != &other) {
      OneOf copy(other);
      *this = std::move(copy);
    }
    return *this;
  }
  OneOf& operator=(OneOf&& other) noexcept {
    if (this != &other) OneOfRef(storage_, &index_, destroyers(), movers()).assign(other.index_, other.storage_);
    return *this;
  }
  template <class U>
    requires one_of_detail::NotSelf<U, OneOf> && one_of_detail::ConvertsToOne<U, Ts...>
  OneOf& operator=(U&& value) {
    emplace<one_of_detail::choose<U, Ts...>()>(std::forward<U>(value));
    return *this;
  }

  // Which alternative it holds, from 0.
  std::size_t index() const noexcept { return index_; }
  template <class T>
  bool is() const noexcept {
    static_assert(indexOf<T> != one_of_detail::kNone, "T is not exactly one of the alternatives");
    return index_ == indexOf<T>;
  }

  // The held alternative; BadAlternative when it holds another.
  template <class T>
  T& get() {
    return get<indexOf<T>>();
  }
  template <class T>
  const T& get() const {
    return get<indexOf<T>>();
  }
  template <std::size_t I>
  Alternative<I>& get() {
    if (index_ != I) throw BadAlternative();
    return *std::launder(reinterpret_cast<Alternative<I>*>(storage_));
  }
  template <std::size_t I>
  const Alternative<I>& get() const {
    if (index_ != I) throw BadAlternative();
    return *std::launder(reinterpret_cast<const Alternative<I>*>(storage_));
  }
  // The held alternative, or nullptr when it holds another.
  template <class T>
  T* getIf() noexcept {
    return is<T>() ? std::launder(reinterpret_cast<T*>(storage_)) : nullptr;
  }
  template <class T>
  const T* getIf() const noexcept {
    return is<T>() ? std::launder(reinterpret_cast<const T*>(storage_)) : nullptr;
  }

  // Replaces the value with alternative I (or T) built from `args`.
  template <std::size_t I, class... Args>
  Alternative<I>& emplace(Args&&... args) {
    Alternative<I> fresh(std::forward<Args>(args)...);
    OneOfRef(storage_, &index_, destroyers(), movers()).assign(I, &fresh);
    return get<I>();
  }
  template <class T, class... Args>
  T& emplace(Args&&... args) {
    return emplace<indexOf<T>>(std::forward<Args>(args)...);
  }

  // Calls f with the held alternative; every alternative's call must return the same type.
  template <class F>
  decltype(auto) visit(F&& f) {
    using Result = decltype(f(std::declval<Alternative<0>&>()));
    static constexpr Result (*calls[])(F&, void*) = {&callAs<Result, F, Ts>...};
    return calls[index_](f, storage_);
  }
  template <class F>
  decltype(auto) visit(F&& f) const {
    using Result = decltype(f(std::declval<const Alternative<0>&>()));
    static constexpr Result (*calls[])(F&, const void*) = {&callAs<Result, F, const Ts>...};
    return calls[index_](f, storage_);
  }

  friend bool operator==(const OneOf& a, const OneOf& b) {
    return a.index_ == b.index_ && comparers()[a.index_](a.storage_, b.storage_);
  }

  // For the runtime's reading and writing: the held value's address, and the union seen
  // without its types.
  const void* data() const noexcept { return storage_; }
  OneOfRef ref() noexcept { return OneOfRef(storage_, &index_, destroyers(), movers()); }

 private:
  template <class Result, class F, class T>
  static Result callAs(F& f, std::conditional_t<std::is_const_v<T>, const void*, void*> value) {
    return f(*std::launder(static_cast<T*>(value)));
  }

  // The tables, each in a function of its own: only what a program uses is compiled.
  static const DestroyAlternative* destroyers() noexcept {
    static constexpr DestroyAlternative table[] = {&LifetimeOf<Ts>::destroy...};
    return table;
  }
  static const CopyAlternative* copiers() noexcept {
    static constexpr CopyAlternative table[] = {&LifetimeOf<Ts>::copy...};
    return table;
  }
  static const MoveAlternative* movers() noexcept {
    static constexpr MoveAlternative table[] = {&LifetimeOf<Ts>::move...};
    return table;
  }
  static const CompareAlternatives* comparers() noexcept {
    static constexpr CompareAlternatives table[] = {&LifetimeOf<Ts>::equal...};
    return table;
  }

  alignas(Ts...) unsigned char storage_[one_of_detail::largest({sizeof(Ts)...})];
  std::size_t index_ = 0;
};

}  // namespace tether::model
