// Pager: walks every page of a cursor-paginated list, fetching pages lazily, and is usable
// in a range-for over the items:
//
//   Pager<ProjectList, Project> pager(
//       [&](const std::optional<std::string>& cursor) { return api.listProjects(cursor); },
//       [](ProjectList& page) { return std::move(page.data); },
//       [](const ProjectList& page) { return page.meta.has_more ? page.meta.next_cursor : std::nullopt; });
//   for (Project& p : pager) { ... }
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tether::client {

template <class Page, class Item>
class Pager {
 public:
  using Fetch = std::function<Page(const std::optional<std::string>& cursor)>;
  using ItemsOf = std::function<std::vector<Item>(Page& page)>;
  using NextCursorOf = std::function<std::optional<std::string>(const Page& page)>;

  Pager(Fetch fetch, ItemsOf items, NextCursorOf nextCursor)
      : fetch_(std::move(fetch)), items_(std::move(items)), nextCursor_(std::move(nextCursor)) {}

  // The next page, or nullopt after the last one. A missing or empty cursor ends the walk,
  // and so does a cursor equal to the previous one (a server bug would otherwise loop).
  std::optional<Page> nextPage() {
    if (done_) return std::nullopt;
    Page page = fetch_(cursor_);
    ++pagesFetched_;
    std::optional<std::string> next = nextCursor_(page);
    if (!next || next->empty() || next == cursor_) {
      done_ = true;
    } else {
      cursor_ = std::move(next);
    }
    return page;
  }

  std::size_t pagesFetched() const { return pagesFetched_; }

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Item;
    using difference_type = std::ptrdiff_t;
    using pointer = Item*;
    using reference = Item&;

    iterator() = default;
    explicit iterator(Pager* pager) : pager_(pager) { settle(); }

    Item& operator*() const { return pager_->buffer_[pager_->index_]; }
    Item* operator->() const { return &pager_->buffer_[pager_->index_]; }
    iterator& operator++() {
      ++pager_->index_;
      settle();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) { return it.pager_ == nullptr; }

   private:
    // Fetches pages until an item is available (empty pages are skipped) or none is left.
    void settle() {
      while (pager_ != nullptr && pager_->index_ >= pager_->buffer_.size()) {
        std::optional<Page> page = pager_->nextPage();
        if (!page) {
          pager_ = nullptr;
          return;
        }
        pager_->buffer_ = pager_->items_(*page);
        pager_->index_ = 0;
      }
    }
    Pager* pager_ = nullptr;
  };

  // Single pass: begin() continues from where the walk stands.
  iterator begin() { return iterator(this); }
  std::default_sentinel_t end() const { return std::default_sentinel; }

  // Every remaining item.
  std::vector<Item> all() {
    std::vector<Item> out;
    for (Item& item : *this) out.push_back(std::move(item));
    return out;
  }

 private:
  Fetch fetch_;
  ItemsOf items_;
  NextCursorOf nextCursor_;
  std::optional<std::string> cursor_;
  bool done_ = false;
  std::size_t pagesFetched_ = 0;
  std::vector<Item> buffer_;
  std::size_t index_ = 0;
};

}  // namespace tether::client
