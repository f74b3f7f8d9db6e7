// The optional members of generated models: std::optional's interface (has_value, value,
// *, ->, value_or, emplace, reset, = std::nullopt, comparisons, conversion to and from
// std::optional), at a fraction of its compile cost.
//
// Why not std::optional: a model header declares hundreds of distinct optional member
// types, and each std::optional<T> instantiates libstdc++'s layered bases and constrained
// overload sets. On Kubernetes' models.h that was about 4 of its 7 seconds and 260 of its
// 380 MB in every translation unit that includes it. This class has one storage layout and
// one constrained constructor.
#pragma once

#include <new>
#include <optional>
#include <type_traits>
#include <utility>

namespace tether::model {

template <class T>
class Optional;

template <class T>
struct IsModelOptional : std::false_type {};
template <class T>
struct IsModelOptional<Optional<T>> : std::true_type {};

// Whether U converts to the value of an Optional<T> (and is not an optional itself).
template <class T, class U>
concept OptionalValueFrom = !IsModelOptional<std::remove_cvref_t<U>>::value &&
                            !std::is_same_v<std::remove_cvref_t<U>, std::nullopt_t> &&
                            std::is_constructible_v<T, U&&>;

template <class T>
class Optional {
 public:
  using value_type = T;

  Optional() noexcept {}
  Optional(std::nullopt_t) noexcept {}  // NOLINT(google-explicit-constructor): as std::optional
  Optional(const Optional& other) {
    if (other.has_) construct(other.value_);
  }
  Optional(Optional&& other) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (other.has_) construct(std::move(other.value_));
  }
  template <class U = T>
    requires OptionalValueFrom<T, U>
  Optional(U&& value) {  // NOLINT(google-explicit-constructor): as std::optional
    construct(std::forward<U>(value));
  }
  template <class U>
  Optional(const std::optional<U>& other) {  // NOLINT(google-explicit-constructor)
    if (other) construct(*other);
  }
  ~Optional() { reset(); }

  Optional& operator=(std::nullopt_t) noexcept {
    reset();
    return *this;
  }
  Optional& operator=(const Optional& other) {
    if (this != &other) assign(other);
    return *this;
  }
  Optional& operator=(Optional&& other) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (this != &other) assign(std::move(other));
    return *this;
  }
  template <class U = T>
    requires OptionalValueFrom<T, U>
  Optional& operator=(U&& value) {
    if (has_) {
      value_ = std::forward<U>(value);
    } else {
      construct(std::forward<U>(value));
    }
    return *this;
  }

  template <class... Args>
  T& emplace(Args&&... args) {
    reset();
    construct(std::forward<Args>(args)...);
    return value_;
  }
  void reset() noexcept {
    if (has_) {
      value_.~T();
      has_ = false;
    }
  }

  bool has_value() const noexcept { return has_; }
  explicit operator bool() const noexcept { return has_; }
  T& operator*() & { return value_; }
  const T& operator*() const& { return value_; }
  T&& operator*() && { return std::move(value_); }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }
  T& value() & { return checked(), value_; }
  const T& value() const& { return checked(), value_; }
  T&& value() && { return checked(), std::move(value_); }
  template <class U>
  T value_or(U&& fallback) const& {
    return has_ ? value_ : static_cast<T>(std::forward<U>(fallback));
  }
  // For APIs that take a std::optional.
  operator std::optional<T>() const {  // NOLINT(google-explicit-constructor)
    return has_ ? std::optional<T>(value_) : std::nullopt;
  }

  friend bool operator==(const Optional& a, const Optional& b) {
    return a.has_ == b.has_ && (!a.has_ || a.value_ == b.value_);
  }
  friend bool operator==(const Optional& a, std::nullopt_t) noexcept { return !a.has_; }
  template <class U>
  friend bool operator==(const Optional& a, const std::optional<U>& b) {
    return a.has_ == b.has_value() && (!a.has_ || a.value_ == *b);
  }
  // Against a value: set and equal.
  template <class U>
    requires(!IsModelOptional<U>::value && !std::is_same_v<U, std::nullopt_t>)
  friend bool operator==(const Optional& a, const U& b) {
    return a.has_ && a.value_ == b;
  }

 private:
  template <class... Args>
  void construct(Args&&... args) {
    ::new (static_cast<void*>(&value_)) T(std::forward<Args>(args)...);
    has_ = true;
  }
  template <class Other>
  void assign(Other&& other) {
    if (!other.has_) {
      reset();
    } else if (has_) {
      value_ = std::forward<Other>(other).value_;
    } else {
      construct(std::forward<Other>(other).value_);
    }
  }
  void checked() const {
    if (!has_) throw std::bad_optional_access();
  }

  union {
    T value_;  // alive when has_
  };
  bool has_ = false;
};

}  // namespace tether::model
