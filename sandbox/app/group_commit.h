// Group commit for a SQLite database: one thread owns the file's write connection and runs
// the write transactions of every request through it, batched. While one batch's COMMIT
// waits for its fsync, the transactions that arrive queue up; the committer then runs them
// all inside one transaction (each in a savepoint of its own, so one that fails undoes only
// itself), commits them with one fsync, and only then answers each of them. So a write is
// acknowledged only once it is durable (synchronous=FULL is kept), and the number of
// fsyncs per second no longer bounds the number of writes per second.
//
// SQLite has one writer at a time anyway: this turns N commits of one transaction each into
// one commit of N. PostgreSQL needs none of it (its WAL flush already serves the commits of
// concurrent transactions together), so Database uses this on SQLite only.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "tether/sandbox/storage.h"

namespace tether::sandbox {

class GroupCommitter {
 public:
  using Work = std::function<void(storage::Connection&)>;
  // `open` makes the write connection (again, after a failed commit broke it).
  explicit GroupCommitter(std::function<std::unique_ptr<storage::Connection>()> open);
  // Runs what is queued, then stops.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Runs `work` in the next batch, on the committer's thread, and returns once the batch is
  // committed and durable. Rethrows what `work` threw (its writes undone, the batch's others
  // unaffected), or the commit's error (then none of the batch was written).
  void run(Work work);

  struct Stats {
    std::uint64_t transactions = 0;  // units of work committed
    std::uint64_t commits = 0;       // COMMITs (fsyncs) that carried them
  };
  Stats stats() const;

 private:
  struct Job {
    Work work;
    std::exception_ptr error;
    bool done = false;
  };
  void loop();
  void commitBatch(std::deque<Job*>& batch);

  std::function<std::unique_ptr<storage::Connection>()> open_;
  std::unique_ptr<storage::Connection> connection_;  // the committer thread's only
  mutable std::mutex mutex_;
  std::condition_variable queued_;    // the committer waits for work
  std::condition_variable answered_;  // the callers wait for their batch
  std::deque<Job*> queue_;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;
};

}  // namespace tether::sandbox
