#include "file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace tether::sandbox {

namespace {

std::runtime_error systemError(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

// The pid written by the process that holds the lock, or "" (not written yet, or not a pid).
std::string holderPid(int fd) {
  char text[32] = {};
  const ssize_t n = pread(fd, text, sizeof text - 1, 0);
  std::string pid;
  for (ssize_t i = 0; i < n && text[i] >= '0' && text[i] <= '9'; ++i) pid += text[i];
  return pid;
}

}  // namespace

DatabaseFileLock::DatabaseFileLock(const std::string& target) {
  if (target.starts_with("postgresql://") || target.starts_with("postgres://")) return;
  if (target.empty() || target == ":memory:") return;
  const std::filesystem::path database(target);
  // The storage layer makes the database's folder on open; the lock file needs it first.
  std::error_code ec;
  if (database.has_parent_path()) std::filesystem::create_directories(database.parent_path(), ec);
  std::filesystem::path canonical = std::filesystem::weakly_canonical(database, ec);
  if (ec) canonical = std::filesystem::absolute(database).lexically_normal();
  const std::string databaseName = canonical.string();
  path_ = databaseName + ".lock";

  fd_ = open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw systemError("cannot open the lock file", path_);
  int rc;
  do {
    rc = flock(fd_, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int error = errno;
    const std::string pid = error == EWOULDBLOCK ? holderPid(fd_) : "";
    close(fd_);
    fd_ = -1;
    if (error != EWOULDBLOCK) {
      errno = error;
      throw systemError("cannot lock", path_);
    }
    throw DatabaseServedElsewhere("the SQLite file " + databaseName + " is already served by another process (" +
                                  (pid.empty() ? std::string("pid unknown") : "pid " + pid) + ", holding " + path_ +
                                  "); a SQLite file is served by one process: run replicas on PostgreSQL "
                                  "(--database postgresql://...)");
  }
  // Ours: say who holds it, for the message of the next process that tries.
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd_, 0) != 0 || pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    // The lock is held all the same; only the message of a refused process lacks the pid.
  }
}

DatabaseFileLock::~DatabaseFileLock() {
  if (fd_ >= 0) close(fd_);  // releases the lock (as the process's end would)
}

}  // namespace tether::sandbox
