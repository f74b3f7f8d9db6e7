// The libcurl state a Transport owns. Connection reuse works like this: a pool of easy
// handles, each used by one thread at a time and returned after the transfer, so every
// handle keeps its own live connections (keep-alive, HTTP/2) across requests; one share
// handle adds the DNS cache and TLS session ids across all of them, so a new connection
// to the same host skips the lookup and resumes the TLS session. The connection cache is
// deliberately not shared: the pool already gives each concurrent caller a warm handle,
// and it keeps curl's connection cache free of cross-thread locking.
#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include <curl/curl.h>

namespace tether::client::detail {

// curl_global_init, once per process, before the first handle.
void initCurlOnce();

class CurlShare {
 public:
  CurlShare();
  ~CurlShare();
  CurlShare(const CurlShare&) = delete;
  CurlShare& operator=(const CurlShare&) = delete;

  CURLSH* get() const { return share_; }

 private:
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* self);
  static void unlock(CURL*, curl_lock_data data, void* self);

  CURLSH* share_;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks_;
};

class HandlePool {
 public:
  explicit HandlePool(CURLSH* share) : share_(share) {}
  ~HandlePool();
  HandlePool(const HandlePool&) = delete;
  HandlePool& operator=(const HandlePool&) = delete;

  // An easy handle for the caller's exclusive use until the lease ends.
  class Lease {
   public:
    Lease(HandlePool& pool, CURL* handle) : pool_(&pool), handle_(handle) {}
    ~Lease() { pool_->release(handle_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    CURL* get() const { return handle_; }

   private:
    HandlePool* pool_;
    CURL* handle_;
  };

  Lease acquire();

 private:
  void release(CURL* handle);

  // Idle handles beyond this are closed, so a burst of threads does not pin sockets forever.
  static constexpr std::size_t kMaxIdle = 32;
  CURLSH* share_;
  std::mutex mutex_;
  std::vector<CURL*> idle_;
};

// An owned curl_slist.
class HeaderList {
 public:
  HeaderList() = default;
  ~HeaderList() { curl_slist_free_all(list_); }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  void add(const std::string& line);
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

}  // namespace tether::client::detail
