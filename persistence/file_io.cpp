#include "file_io.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <new>
#include <system_error>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
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

namespace {

// Buffers the producer's pieces into 4 MiB writes; pieces larger than the
// buffer go straight to the file.
class BufferedFile final : public FileSink {
 public:
  BufferedFile(FileSystem& fs, int fd, std::uint64_t total, const Progress& progress)
      : fs_(fs), fd_(fd), total_(total), progress_(progress) {
    buffer_.reserve(kBuffer);
  }
  void write(const char* data, std::size_t bytes) override {
    if (buffer_.size() + bytes > kBuffer) flush();
    if (bytes >= kBuffer) {
      writeAll(data, bytes);
    } else {
      buffer_.insert(buffer_.end(), data, data + bytes);
    }
  }
  void flush() {
    writeAll(buffer_.data(), buffer_.size());
    buffer_.clear();
  }
  std::uint64_t written() const { return written_; }

  struct Failure {
    std::string step;
    int error;
  };

 private:
  static constexpr std::size_t kBuffer = std::size_t{4} << 20;

  void writeAll(const char* data, std::size_t bytes) {
    std::size_t done = 0;
    while (done < bytes) {
      const ssize_t n = fs_.write(fd_, data + done, bytes - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw Failure{"write at byte " + std::to_string(written_), errno};
      if (n == 0) throw Failure{"write at byte " + std::to_string(written_) + " wrote nothing", EIO};
      done += static_cast<std::size_t>(n);
      written_ += static_cast<std::uint64_t>(n);
    }
    if (progress_ && bytes > 0) progress_(written_, std::max(total_, written_));
  }

  FileSystem& fs_;
  int fd_;
  std::uint64_t total_;
  const Progress& progress_;
  std::vector<char> buffer_;
  std::uint64_t written_ = 0;
};

}  // namespace

void writeFileAtomically(const std::filesystem::path& path, std::uint64_t totalBytes,
                         const std::function<void(FileSink&)>& produce, const Progress& progress) {
  FileSystem& fs = fileSystem();
  std::filesystem::path folder = path.parent_path();
  if (folder.empty()) folder = ".";
  std::string name = ".";  // built step by step: GCC 12 misreports `"." + s + "..."` (-Wrestrict)
  name += path.filename().string();
  name += ".tmp-XXXXXX";
  std::string temp = (folder / name).string();
  const int fd = fs.createTemp(temp);
  if (fd < 0) fail(path, "cannot create a temporary file in " + folder.string(), errno);

  bool open = true;
  // From here on, every failure removes the temporary file before throwing.
  auto discard = [&] {
    if (open) fs.close(fd);
    fs.unlink(temp);
  };
  try {
    BufferedFile file(fs, fd, totalBytes, progress);
    produce(file);
    file.flush();
    if (file.written() != totalBytes) {
      throw BufferedFile::Failure{"the encoder produced " + std::to_string(file.written()) + " bytes, not the " +
                                      std::to_string(totalBytes) + " announced",
                                  EIO};
    }
    if (totalBytes == 0 && progress) progress(0, 0);
    if (fs.fsync(fd) != 0) throw BufferedFile::Failure{"fsync", errno};
    open = false;
    if (fs.close(fd) != 0) throw BufferedFile::Failure{"close", errno};
    if (fs.rename(temp, path.string()) != 0) throw BufferedFile::Failure{"rename over the old file", errno};
  } catch (const BufferedFile::Failure& f) {
    discard();
    fail(path, f.step, f.error);
  } catch (...) {
    discard();
    throw;
  }

  const int dir = fs.openDirectory(folder.string());
  if (dir < 0) fail(path, "open the folder for fsync (the new file is in place)", errno);
  if (fs.fsync(dir) != 0) {
    const int error = errno;
    fs.close(dir);
    fail(path, "fsync of the folder (the new file is in place, its durability unknown)", error);
  }
  fs.close(dir);
}

void writeFileAtomically(const std::filesystem::path& path, std::span<const char> bytes, const Progress& progress) {
  writeFileAtomically(
      path, bytes.size(), [&](FileSink& sink) { sink.write(bytes.data(), bytes.size()); }, progress);
}

FileBytes::FileBytes(FileBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, 0)) {}

FileBytes::~FileBytes() {
  if (mapped_ != 0) ::munmap(data_, mapped_);
}

namespace {
#ifdef MADV_POPULATE_WRITE
constexpr int kPopulateWrite = MADV_POPULATE_WRITE;
#else
constexpr int kPopulateWrite = 23;  // Linux's value; older headers lack the name
#endif
}  // namespace

FileBytes readWholeFile(const std::filesystem::path& path, std::uint64_t maxBytes) {
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
  FileBytes out;
  if (size == 0) return out;
  const std::size_t mapped = static_cast<std::size_t>(size);
  void* memory = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) throw std::bad_alloc();
  out.data_ = static_cast<char*>(memory);
  out.mapped_ = mapped;
  // No MADV_HUGEPAGE: it made reads ~30% faster on average, but with the
  // kernel's usual defrag=madvise a fragmented machine compacts memory inside
  // the fault, and loads took up to 2.5x as long now and then.
  const auto total = static_cast<std::size_t>(size);
  // Fresh pages fault in one by one under read(); a helper maps them
  // ahead of it, so the faults (and the kernel's zeroing) run on another
  // core while this one copies.
  std::atomic<bool> stop{false};
  std::thread prefault;
  if (total >= (std::size_t{8} << 20)) {
    try {
      prefault = std::thread([base = out.data_, total, &stop] {
        // MADV_POPULATE_WRITE (Linux 5.14) maps pages writable without
        // touching their contents, so it never races with the read's data;
        // where the kernel lacks it, the first call fails and we stop.
        constexpr std::size_t kStep = std::size_t{2} << 20;
        for (std::size_t at = 0; at < total && !stop.load(std::memory_order_relaxed); at += kStep) {
          if (::madvise(base + at, std::min(kStep, total - at), kPopulateWrite) != 0) break;
        }
      });
    } catch (const std::system_error&) {
      // No thread to be had: read() faults the pages itself.
    }
  }
  struct Joiner {
    std::thread& t;
    std::atomic<bool>& stop;
    ~Joiner() {
      stop = true;
      if (t.joinable()) t.join();
    }
  } joiner{prefault, stop};
  std::size_t done = 0;
  while (done < total) {
    const ssize_t n = ::read(fd, out.data_ + done, total - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw SnapshotError("Cannot read snapshot " + path.string() + ": " + std::strerror(errno));
    if (n == 0) break;  // the file shrank meanwhile: the framing check reports it as truncated
    done += static_cast<std::size_t>(n);
  }
  out.size_ = done;
  return out;
}

}  // namespace relstore::detail
