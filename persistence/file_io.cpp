#include "file_io.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "relstore/errors.h"

namespace relstore::detail {

// Like mkstemp, but with the permissions of an ordinary new file (0666 less
// the umask) rather than mkstemp's 0600: the snapshot replaces a normal file.
int FileSystem::createTemp(std::string& pattern) {
  static std::atomic<std::uint64_t> sequence{0};
  const std::string stem = pattern.substr(0, pattern.size() - 6);
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::uint64_t n = (static_cast<std::uint64_t>(::getpid()) << 32) ^ (sequence++ * 0x9e3779b97f4a7c15ULL);
    char suffix[7];
    static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < 6; ++i) suffix[i] = kChars[(n >> (6 * i)) % 36];
    suffix[6] = '\0';
    pattern = stem + suffix;
    const int fd = ::open(pattern.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}
ssize_t FileSystem::write(int fd, const void* data, std::size_t bytes) { return ::write(fd, data, bytes); }
int FileSystem::fsync(int fd) { return ::fsync(fd); }
int FileSystem::close(int fd) { return ::close(fd); }
int FileSystem::rename(const std::string& from, const std::string& to) { return ::rename(from.c_str(), to.c_str()); }
int FileSystem::openDirectory(const std::string& path) { return ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); }
int FileSystem::unlink(const std::string& path) { return ::unlink(path.c_str()); }

namespace {

FileSystem posix;
std::atomic<FileSystem*> current{&posix};

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& step, int error) {
  throw SnapshotError("Snapshot save to " + path.string() + " failed: " + step + ": " + std::strerror(error));
}

}  // namespace

FileSystem& fileSystem() { return *current.load(); }

FileSystem* setFileSystemForTesting(FileSystem* fs) { return current.exchange(fs ? fs : &posix); }

void writeFileAtomically(const std::filesystem::path& path, std::span<const char> bytes, const Progress& progress) {
  FileSystem& fs = fileSystem();
  std::filesystem::path folder = path.parent_path();
  if (folder.empty()) folder = ".";
  std::string temp = (folder / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = fs.createTemp(temp);
  if (fd < 0) fail(path, "cannot create a temporary file in " + folder.string(), errno);

  bool open = true;
  // From here on, every failure removes the temporary file before throwing.
  auto abandon = [&](const std::string& step, int error) {
    if (open) fs.close(fd);
    fs.unlink(temp);
    fail(path, step, error);
  };
  constexpr std::size_t kChunk = std::size_t{8} << 20;  // progress granularity
  std::size_t done = 0;
  while (done < bytes.size()) {
    const std::size_t want = std::min(kChunk, bytes.size() - done);
    const ssize_t n = fs.write(fd, bytes.data() + done, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      abandon("write at byte " + std::to_string(done), errno);
    }
    if (n == 0) abandon("write at byte " + std::to_string(done) + " wrote nothing", EIO);
    done += static_cast<std::size_t>(n);
    if (progress) progress(done, bytes.size());
  }
  if (bytes.empty() && progress) progress(0, 0);
  if (fs.fsync(fd) != 0) abandon("fsync", errno);
  open = false;
  if (fs.close(fd) != 0) abandon("close", errno);
  if (fs.rename(temp, path.string()) != 0) abandon("rename over the old file", errno);

  const int dir = fs.openDirectory(folder.string());
  if (dir < 0) fail(path, "open the folder for fsync (the new file is in place)", errno);
  if (fs.fsync(dir) != 0) {
    const int error = errno;
    fs.close(dir);
    fail(path, "fsync of the folder (the new file is in place, its durability unknown)", error);
  }
  fs.close(dir);
}

std::vector<char> readWholeFile(const std::filesystem::path& path, std::uint64_t maxBytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw SnapshotError("Cannot open snapshot " + path.string() + ": " + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  const off_t size = ::lseek(fd, 0, SEEK_END);
  if (size < 0 || ::lseek(fd, 0, SEEK_SET) != 0) {
    throw SnapshotError("Cannot read snapshot " + path.string() + ": " + std::strerror(errno));
  }
  if (static_cast<std::uint64_t>(size) > maxBytes) {
    throw SnapshotError("Snapshot " + path.string() + " is " + std::to_string(size) + " bytes, above the " +
                        std::to_string(maxBytes) + "-byte limit");
  }
  std::vector<char> bytes(static_cast<std::size_t>(size));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw SnapshotError("Cannot read snapshot " + path.string() + ": " + std::strerror(errno));
    if (n == 0) break;  // the file shrank meanwhile: the framing check reports it as truncated
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

}  // namespace relstore::detail
