// relstore/snapshot.h — saving a store to a file and loading it back.
//
// What it is: a snapshot is one file holding every model (its attributes
// with their settings, its id counter and its rows, column by column) and
// every association definition. Indices are not stored: a load rebuilds and
// verifies them. The file is framed by relstore (magic, format version,
// endianness, flags, payload length, then an XXH3-64 checksum of all of it);
// cereal encodes the payload, in binary (the default) or JSON (the same
// content, human-readable, lossless: NaN, infinities, exact doubles and any
// bytes in text survive).
//
// When to use it: a server saves its world every few minutes and loads the
// last snapshot when it starts. Link `relstore::persistence`.
//
//   relstore::Store store;
//   defineWorld(store);                                   // the code's schema
//   relstore::loadSnapshot(store, "world.relsnap");       // server start
//   ...
//   auto pending = relstore::saveSnapshotAsync(store, "world.relsnap");  // tick goes on
//   pending.get();                                        // rethrows a failed save
//
// Guarantees:
// - Saves are atomic: the file is written to a temporary file in the same
//   folder, fsync'ed, renamed over `path`, and the folder fsync'ed. A failed
//   save (no space, an I/O error, a failed fsync — never retried) throws
//   SnapshotError, removes the temporary file and leaves the previous file at
//   `path` as it was. (When only the final fsync of the folder fails, the new
//   file is already in place and complete; the save still reports failure
//   because its durability is unknown.)
// - Loads are all or nothing: the file is decoded into fresh tables, every
//   index is rebuilt, primary keys, unique values, junction pairs, foreign
//   keys (where constraints are on) and id counters are verified, and only
//   then are the tables swapped in. A failed load throws SnapshotError saying
//   what is wrong (truncated at byte N, bad checksum, unsupported version V,
//   a dangling key, ...) and leaves the store exactly as it was. Hooks and
//   validators do not run during a load.
// - Bad files never crash, abort or allocate more than the file's size
//   allows: the size is capped (64 GiB), length and checksum are checked
//   before a byte is decoded, and no container is sized from a count larger
//   than the remaining bytes can hold.
// - Files of every format version this build knows load; newer ones are
//   refused.
//
// Invalidation: a successful load replaces the rows of every model of the
// store. Model handles (and scoped handles, hooks, scopes) stay valid and see
// the loaded rows; Instance handles keep their ids and see whatever row has
// that id after the load. Row slots and spans (Association::ids) are invalidated.
//
// Threads: saveSnapshot and the capture step of saveSnapshotAsync read the
// store (no writer may run concurrently); the asynchronous write touches only
// its own copy. loadSnapshot writes the store. Inside a call, relstore may
// use helper threads of its own (joined before the call returns): a load
// reads the file ahead on one and builds independent indices on the machine's
// cores, and the capture step of saveSnapshotAsync copies tables on them;
// none touches the caller's objects or outlives the call (the asynchronous
// write excepted, which outlives it by design).
//
// Cost: save O(rows × columns) plus the write; saveSnapshotAsync blocks the
// caller for O(rows / 32Ki) — columns are copy-on-write chunks, so its copy
// shares them (plus the null bitmaps, one bit per row), and the first write
// to a shared chunk afterwards copies that chunk (64Ki numbers or 32Ki
// text cells) once (free slots that destroys left in a table are copied along
// and left out by the worker, so the file holds rows only); load
// O(rows × (columns + indices)).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <string>
#include <vector>

#include "relstore/store.h"

namespace relstore {

enum class SnapshotFormat { Binary, Json };

struct SnapshotOptions {
  // Save: the encoding to write. Loads detect the format from the file.
  SnapshotFormat format = SnapshotFormat::Binary;
  // Called with (bytes done, bytes in all): on save as the file is written,
  // on load as the payload is decoded. Ends with done == total. On the
  // worker thread for saveSnapshotAsync.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress{};
  // Load: models and attributes the file has and the code no longer defines
  // are dropped (and listed in the LoadReport) instead of refusing the load.
  bool allowDrop = false;
};

// What a load did. Names are "Model.attribute" and "Model".
struct LoadReport {
  std::size_t rows = 0;                          // rows loaded, all models together
  std::vector<std::string> addedAttributes{};    // in the code, not in the file: default or null
  std::vector<std::string> droppedAttributes{};  // in the file, not in the code (allowDrop)
  std::vector<std::string> droppedModels{};      // in the file, not in the code (allowDrop)
};

// Writes `store` to `path` atomically (see above). Throws SnapshotError
// (naming the step and the system's reason) when the save fails; the old
// file is then untouched. Cost: O(rows × columns) + the write.
void saveSnapshot(const Store& store, const std::filesystem::path& path, const SnapshotOptions& options = {});

// Copies the store's columns and schema on the calling thread (a point in
// time: the caller may write to the store as soon as this returns; the copy
// shares the columns' chunks until a write touches them, see Cost) and
// writes the copy on a worker thread. The future's get() returns when the
// file is in place and rethrows the save's SnapshotError. The store may be
// destroyed before the write ends. Keep the future (e.g. poll it with
// wait_for(0s) on later ticks): like every std::async future, destroying it
// waits for the write, so discarding it makes the call synchronous.
[[nodiscard]] std::future<void> saveSnapshotAsync(const Store& store, const std::filesystem::path& path,
                                                  const SnapshotOptions& options = {});

// Loads `path` into `store`, whose models the code has defined (the normal
// server start). The file's rows go into the models of the same name,
// attribute by attribute: an attribute the file lacks gets its default (or
// null; a NOT NULL attribute without a default refuses the load); one the
// code lacks, or a model the code lacks, refuses the load unless
// `options.allowDrop`; a changed type refuses it (Int → Real widens). Models
// the file lacks come up empty. The code's associations, hooks and scopes
// stay; the file's association definitions are not consulted. Returns what
// it did; throws SnapshotError (store unchanged) on any problem.
LoadReport loadSnapshot(Store& store, const std::filesystem::path& path, const SnapshotOptions& options = {});

// A new store with the file's own schema (models, attributes, associations;
// no hooks, validators or scopes, which live in code — so an association
// defined to a scoped handle reads every target here) and its rows — for
// tools. Throws SnapshotError as loadSnapshot does.
Store openSnapshot(const std::filesystem::path& path);
Store openSnapshot(const std::filesystem::path& path, const SnapshotOptions& options);

}  // namespace relstore
