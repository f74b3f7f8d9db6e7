#include "group_commit.h"

#include <utility>

namespace tether::sandbox {

namespace {
// A batch's latency is its slowest member's: past this many, the rest wait for the next.
constexpr std::size_t kMaxBatch = 512;
}  // namespace

GroupCommitter::GroupCommitter(std::function<std::unique_ptr<storage::Connection>()> open)
    : open_(std::move(open)), connection_(open_()), thread_([this] { loop(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  thread_.join();
}

void GroupCommitter::run(Work work) {
  Job job{std::move(work), nullptr, false};
  std::unique_lock lock(mutex_);
  if (stopping_) throw storage::Error(storage::ErrorKind::Connection, "", "the database is closing", "group commit");
  queue_.push_back(&job);
  queued_.notify_one();
  answered_.wait(lock, [&] { return job.done; });
  if (job.error) std::rethrow_exception(job.error);
}

GroupCommitter::Stats GroupCommitter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void GroupCommitter::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left
    std::deque<Job*> batch;
    while (!queue_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();  // new work queues up while this batch runs and waits for its fsync
    commitBatch(batch);
    lock.lock();
    for (Job* job : batch) job->done = true;
    answered_.notify_all();
  }
}

void GroupCommitter::commitBatch(std::deque<Job*>& batch) {
  std::size_t committed = 0;
  try {
    if (!connection_) connection_ = open_();
    storage::Transaction transaction(*connection_);
    for (Job* job : batch) {
      storage::Savepoint savepoint(*connection_, "batch_item");
      try {
        job->work(*connection_);
        savepoint.release();
      } catch (...) {
        job->error = std::current_exception();  // the savepoint's destructor undoes its writes
      }
      // Some failures (an I/O error, a full disk) end SQLite's whole transaction, and with
      // it the work of the batch's earlier members: commit() then fails, for all of them.
      if (!connection_->in_transaction()) break;
    }
    transaction.commit();
    for (Job* job : batch) committed += job->error ? 0 : 1;
  } catch (...) {
    // Not durable: every member fails, even those whose own work went well (a 500 is safe
    // to retry; answering success for a write that is not there is not). The connection is
    // opened afresh for the next batch.
    const std::exception_ptr error = std::current_exception();
    for (Job* job : batch) {
      if (!job->error) job->error = error;
    }
    connection_.reset();
  }
  std::lock_guard lock(mutex_);
  stats_.transactions += committed;
  stats_.commits += 1;
}

}  // namespace tether::sandbox
