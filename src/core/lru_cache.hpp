// LruCache: a bounded map from string keys to values that forgets the least recently used
// entry when full. For per-backend caches of pure, costly functions (a backend is one thread;
// one instance must not be shared between threads). Capacity 0 keeps nothing.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace dedupe {

struct LruCacheStats {
  size_t capacity = 0, size = 0, hits = 0, misses = 0, evictions = 0;
};

template <typename Value>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity) { index_.reserve(capacity); }
  LruCache(const LruCache&) = delete;
  LruCache& operator=(const LruCache&) = delete;

  // The value kept for key, now the most recently used; nullptr (a miss) when none is.
  // The pointer stays valid until the next insert() or clear().
  Value* find(std::string_view key) {
    const auto it = index_.find(key);
    if (it == index_.end()) {
      ++misses_;
      return nullptr;
    }
    ++hits_;
    entries_.splice(entries_.begin(), entries_, it->second);
    return &it->second->second;
  }

  // Keeps value for key (replacing the one kept for it), forgetting the least recently used
  // entry when full. Returns the kept value, or nullptr when the capacity is 0.
  Value* insert(std::string_view key, Value value) {
    if (capacity_ == 0) return nullptr;
    if (const auto it = index_.find(key); it != index_.end()) {
      it->second->second = std::move(value);
      entries_.splice(entries_.begin(), entries_, it->second);
      return &it->second->second;
    }
    if (entries_.size() >= capacity_) {
      index_.erase(entries_.back().first);
      entries_.pop_back();
      ++evictions_;
    }
    entries_.emplace_front(std::string(key), std::move(value));
    try {
      index_.emplace(entries_.front().first, entries_.begin());
    } catch (...) {  // out of memory: keep the list and the index in step
      entries_.pop_front();
      throw;
    }
    return &entries_.front().second;
  }

  void clear() {
    index_.clear();
    entries_.clear();
  }

  // Forgets everything and keeps at most capacity entries from now on; counters restart.
  void reset(size_t capacity) {
    clear();
    capacity_ = capacity;
    hits_ = misses_ = evictions_ = 0;
  }

  size_t capacity() const { return capacity_; }
  LruCacheStats stats() const { return {capacity_, entries_.size(), hits_, misses_, evictions_}; }

 private:
  using Entries = std::list<std::pair<std::string, Value>>;
  size_t capacity_;
  Entries entries_;  // most recently used first
  std::unordered_map<std::string_view, typename Entries::iterator> index_;  // keys live in entries_
  size_t hits_ = 0, misses_ = 0, evictions_ = 0;
};

}  // namespace dedupe
