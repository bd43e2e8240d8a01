// The file operations a snapshot makes, and the atomic write built on them.
//
// Saves go through a small `FileSystem` interface so that tests can make any
// step fail (a short write, ENOSPC, EIO, a failed fsync, close or rename)
// and check that the previous snapshot survives and no temporary file stays.
// Production code uses the POSIX implementation.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include <sys/types.h>

namespace relstore::detail {

using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// Thin wrappers of the POSIX calls, with their return conventions (-1 and
// errno on failure).
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // mkstemp: `pattern` ends in XXXXXX and is replaced by the name made.
  virtual int createTemp(std::string& pattern);
  virtual ssize_t write(int fd, const void* data, std::size_t bytes);
  virtual int fsync(int fd);
  virtual int close(int fd);
  virtual int rename(const std::string& from, const std::string& to);
  virtual int openDirectory(const std::string& path);
  virtual int unlink(const std::string& path);
};

// The layer saves use (the POSIX one unless a test installed another).
FileSystem& fileSystem();
// Installs `fs` (null: the POSIX one) for every later save; returns the
// previous one. For tests; not thread-safe against saves in flight.
FileSystem* setFileSystemForTesting(FileSystem* fs);

// Receives a file's bytes in order and writes them in large pieces.
class FileSink {
 public:
  virtual void write(const char* data, std::size_t bytes) = 0;

 protected:
  ~FileSink() = default;
};

// Writes `totalBytes` bytes, produced in order by `produce` into the sink it
// is handed, to `path` atomically: a temporary file in the same folder,
// written fully (short writes and EINTR resumed), fsync'ed, closed, renamed
// over `path`, then the folder fsync'ed. Reports (bytes written, total) to
// `progress`, ending with total. Throws SnapshotError naming the step and
// strerror on any failure (and rethrows what `produce` throws), after
// removing the temporary file; a failed fsync is never retried (the kernel
// may have dropped the dirty pages). Memory: a 4 MiB buffer, whatever the size.
void writeFileAtomically(const std::filesystem::path& path, std::uint64_t totalBytes,
                         const std::function<void(FileSink&)>& produce, const Progress& progress);
// The same for bytes already in memory.
void writeFileAtomically(const std::filesystem::path& path, std::span<const char> bytes, const Progress& progress);

// A file's bytes in memory, in a private anonymous mapping: not zero-filled
// by us before the read (a vector would write every byte twice). Not a
// mapping of the file itself: a file truncated by someone else while we read
// it is a short read, never a SIGBUS.
class FileBytes {
 public:
  FileBytes() = default;
  FileBytes(FileBytes&& other) noexcept;
  FileBytes& operator=(FileBytes&&) = delete;
  ~FileBytes();
  std::span<const char> bytes() const noexcept { return {data_, size_}; }
  const char* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

 private:
  friend FileBytes readWholeFile(const std::filesystem::path& path, std::uint64_t maxBytes);
  char* data_ = nullptr;
  std::size_t size_ = 0;     // bytes read
  std::size_t mapped_ = 0;   // bytes mapped (0: nothing to unmap)
};

// The whole file at `path`. Throws SnapshotError when it cannot be read or
// holds more than `maxBytes` (checked before reading).
FileBytes readWholeFile(const std::filesystem::path& path, std::uint64_t maxBytes);

}  // namespace relstore::detail
