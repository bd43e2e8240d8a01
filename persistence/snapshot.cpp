// The public snapshot functions: framing + payload codec + atomic file write
// on the way out; file read + framing check + decode + restore on the way in.
#include "relstore/snapshot.h"

#include <memory>

#include "file_io.h"
#include "framing.h"
#include "payload_codec.h"
#include "restore.h"
#include "snapshot_bytes.h"
#include "snapshot_data.h"
#include "store_impl.h"

namespace relstore {
namespace detail {
namespace {

// A JSON snapshot, whole: its header line states the payload's length.
std::string jsonSnapshot(const SnapshotData& data) {
  std::string payload;
  encodePayload(data, SnapshotFormat::Json, payload);
  return jsonFile(payload);
}

// Snapshots hold committed state only: refused while a transaction is open.
void requireCommitted(const Store& store, const std::filesystem::path& path, const char* what) {
  if (store.impl().frameDepth() > 0) {
    throw SnapshotError(std::string(what) + " " + path.string() +
                        " refused: a transaction is open (a snapshot holds committed state only)");
  }
}

// Passes bytes on to a file and through the checksum.
class ChecksummedSink final : public FileSink {
 public:
  explicit ChecksummedSink(FileSink& file) : file_(file) {}
  void write(const char* data, std::size_t bytes) override {
    checksum_.update(data, bytes);
    file_.write(data, bytes);
  }
  std::uint64_t digest() const { return checksum_.digest(); }

 private:
  FileSink& file_;
  Checksum checksum_;
};

void write(const SnapshotData& data, const std::filesystem::path& path, const SnapshotOptions& options) {
  if (options.format == SnapshotFormat::Json) {  // JSON is built in memory: its header line states its length
    const std::string file = jsonSnapshot(data);
    writeFileAtomically(path, std::span<const char>(file.data(), file.size()), options.progress);
    return;
  }
  // Binary streams straight to the file: no copy of the world in memory.
  const std::uint64_t length = binaryPayloadSize(data);
  writeFileAtomically(
      path, kHeaderBytes + length + kChecksumBytes,
      [&](FileSink& file) {
        ChecksummedSink sink(file);
        char header[kHeaderBytes];
        binaryHeader(header, length);
        sink.write(header, kHeaderBytes);
        encodeBinaryPayload(data, sink, kHeaderBytes);
        char sum[kChecksumBytes];
        putLe64(sum, sink.digest());
        file.write(sum, kChecksumBytes);
      },
      options.progress);
}

SnapshotData decodeBytes(std::span<const char> file, const SnapshotOptions& options) {
  const Frame frame = readFrame(file);
  return decodePayload(file.subspan(frame.payloadOffset, frame.payloadLength), frame.format, frame.version,
                       options.progress);
}

// Runs `load` on the file's bytes; SnapshotErrors name the file.
template <class F>
auto fromFile(const std::filesystem::path& path, F&& load) {
  try {
    const FileBytes file = readWholeFile(path, kMaxSnapshotBytes);
    return load(file.bytes());
  } catch (const SnapshotError& e) {
    throw SnapshotError(path.string() + ": " + e.what());
  }
}

}  // namespace
}  // namespace detail

void saveSnapshot(const Store& store, const std::filesystem::path& path, const SnapshotOptions& options) {
  detail::requireCommitted(store, path, "saveSnapshot");
  detail::write(detail::describe(store.impl(), false), path, options);
}

std::future<void> saveSnapshotAsync(const Store& store, const std::filesystem::path& path,
                                    const SnapshotOptions& options) {
  detail::requireCommitted(store, path, "saveSnapshotAsync");
  // The copy is made here, on the caller's thread: afterwards the store may
  // change freely. Columns are copy-on-write, so the copy shares their chunks
  // and a later write copies only the chunk it touches.
  auto data = std::make_shared<detail::SnapshotData>(detail::describe(store.impl(), true));
  return std::async(std::launch::async, [data, path, options]() mutable {
    detail::compactCopies(*data);  // models with free slots: rows only, off the caller's thread
    detail::write(*data, path, options);
    data.reset();  // the captured chunks go now, not when the future does
  });
}

LoadReport loadSnapshot(Store& store, const std::filesystem::path& path, const SnapshotOptions& options) {
  detail::requireCommitted(store, path, "loadSnapshot");
  if (store.impl().userCodeRunning()) {  // the write around the hook or validator holds row slots
    throw SnapshotError("loadSnapshot " + path.string() + " refused: a hook or validator is running");
  }
  return detail::fromFile(path, [&](std::span<const char> file) { return detail::loadSnapshotBytes(store, file, options); });
}

Store openSnapshot(const std::filesystem::path& path) { return openSnapshot(path, {}); }

Store openSnapshot(const std::filesystem::path& path, const SnapshotOptions& options) {
  return detail::fromFile(path, [&](std::span<const char> file) { return detail::openSnapshotBytes(file, options); });
}

namespace detail {

LoadReport loadSnapshotBytes(Store& store, std::span<const char> file, const SnapshotOptions& options) {
  try {
    return restoreInto(store.impl(), decodeBytes(file, options), options);
  } catch (const std::bad_alloc&) {  // before the swap: the store is unchanged
    throw SnapshotError("Snapshot refused: not enough memory to load it");
  }
}

Store openSnapshotBytes(std::span<const char> file, const SnapshotOptions& options) {
  try {
    SnapshotData data = decodeBytes(file, options);
    Store store;
    defineSchema(store.impl(), data);
    restoreInto(store.impl(), std::move(data), options);
    return store;
  } catch (const std::bad_alloc&) {
    throw SnapshotError("Snapshot refused: not enough memory to open it");
  }
}

}  // namespace detail

}  // namespace relstore
