// One process serves a SQLite file (issue 19): the rate-limit buckets kept in memory
// (ratelimit_buckets.h), the document cache keyed by the file's WriteClock
// (document_cache.h, storage.h) and the write path all assume that no other process writes
// the file. main.cpp takes this lock before it opens the database, for as long as the
// process lives; a second sandbox on the same file is refused at start with a message
// saying so. Replicas share a PostgreSQL database instead, which takes no lock.
//
// The lock is flock(LOCK_EX | LOCK_NB) on a file beside the database, `<database>.lock`
// (of the database's canonical path, so a symlink or another spelling of the path finds
// the same lock), which holds the pid of the process serving it. Why not the database file
// itself: SQLite locks it with POSIX (fcntl) byte-range locks, and POSIX locks belong to
// the process and the inode, so closing any descriptor of that file in the process drops
// all of SQLite's locks on it (SQLite's "How To Corrupt an SQLite Database File", 2.2);
// on NFS Linux emulates flock() with a POSIX lock of the whole file, which would then
// conflict with SQLite's own; and a pid cannot be written into the database. A sidecar
// file touches none of that.
//
// The kernel drops the lock when the process ends however it ends (kill -9 included), so
// a restart on the same file right after a crash takes it at once. The descriptor is
// close-on-exec: no child keeps the lock. The lock file stays after the process ends:
// deleting it would let a process that opened the old file and one that creates a new one
// both hold "the" lock. Its pid is then stale, which is harmless: the lock, not the file,
// says whether the database is served.
#pragma once

#include <stdexcept>
#include <string>

namespace tether::sandbox {

// Another process holds the lock; what() is the one-line message for the operator.
class DatabaseServedElsewhere : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DatabaseFileLock {
 public:
  // Takes the lock of `target` when it is a SQLite file; does nothing for a postgresql://
  // URL (replicas share those) or an in-memory database. Throws DatabaseServedElsewhere
  // when another process holds it, std::runtime_error when the lock file cannot be made.
  explicit DatabaseFileLock(const std::string& target);
  ~DatabaseFileLock();
  DatabaseFileLock(const DatabaseFileLock&) = delete;
  DatabaseFileLock& operator=(const DatabaseFileLock&) = delete;

  // The lock file held, or "" when none is needed.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace tether::sandbox
