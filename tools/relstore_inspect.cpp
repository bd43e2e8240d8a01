// relstore-inspect: what a snapshot file holds.
//
//   relstore-inspect FILE          format version, sizes, models (attributes,
//                                  row counts, id counters), associations
//   relstore-inspect --json FILE   every row, as JSON: {"Model": [rows...], ...}
//   relstore-inspect --dot FILE    the ER diagram (Graphviz), as Store::toDot()
//
// Loading a large file on a terminal draws a progress bar on stderr. A bad
// file prints the SnapshotError's reason and exits with status 1; bad usage
// exits with 2.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "file_io.h"
#include "framing.h"
#include "relstore/relstore.h"
#include "relstore/snapshot.h"
#include "snapshot_bytes.h"

namespace {

using namespace relstore;

const char* typeOf(AssociationType t) {
  switch (t) {
    case AssociationType::HasOne: return "hasOne";
    case AssociationType::BelongsTo: return "belongsTo";
    case AssociationType::HasMany: return "hasMany";
    case AssociationType::BelongsToMany: return "belongsToMany";
  }
  return "?";
}

std::string describe(const Attribute& a) {
  std::string s = "    " + a.name + " " + std::string(typeName(a.type));
  if (a.primaryKey) s += " primary key";
  if (a.autoIncrement) s += " auto-increment";
  if (!a.allowNull && !a.primaryKey) s += " not null";
  if (a.unique && !a.primaryKey) s += " unique";
  if (a.index) s += " indexed";
  if (a.defaultValue) s += " default " + (a.defaultValue->isNull() ? "null" : a.defaultValue->toString());
  return s;
}

void summary(const Store& store, const std::string& path, const detail::Frame& frame) {
  std::cout << "file: " << path << "\n"
            << "format: version " << frame.version << ", "
            << (frame.format == SnapshotFormat::Binary ? "binary" : "JSON") << ", " << frame.fileBytes
            << " bytes (payload " << frame.payloadLength << " bytes)\n";
  std::size_t rows = 0;
  for (const Model& m : store.models()) rows += m.count();
  std::cout << "models: " << store.models().size() << ", rows: " << rows << "\n";
  for (const Model& m : store.models()) {
    const std::size_t n = m.count();
    std::cout << "  " << m.name() << ": " << n << (n == 1 ? " row\n" : " rows\n");
    for (const Attribute& a : m.attributes()) std::cout << describe(a) << "\n";
  }
  std::cout << "associations:\n";
  for (const Model& m : store.models()) {
    for (const Association& a : m.associations()) {
      std::cout << "  " << m.name() << "." << a.as() << ": " << typeOf(a.type()) << " " << a.target().name();
      if (a.through()) {
        std::cout << " through " << a.through()->name() << " (" << a.foreignKey() << ", " << a.otherKey() << ")";
      } else {
        std::cout << " (foreignKey " << a.foreignKey() << ")";
      }
      std::cout << "\n";
    }
  }
}

void rowsAsJson(const Store& store) {
  std::cout << "{";
  bool firstModel = true;
  for (const Model& m : store.models()) {
    std::cout << (firstModel ? "\n  " : ",\n  ") << "\"" << m.name() << "\": [";
    firstModel = false;
    bool first = true;
    for (const Instance& row : m.unscoped().findAll()) {
      std::cout << (first ? "\n    " : ",\n    ") << row.toJSON();
      first = false;
    }
    std::cout << (first ? "]" : "\n  ]");
  }
  std::cout << "\n}\n";
}

int usage() {
  std::cerr << "usage: relstore-inspect [--json | --dot] FILE\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode, path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json" || arg == "--dot") {
      if (!mode.empty()) return usage();
      mode = arg;
    } else if (arg == "-h" || arg == "--help") {
      usage();
      return 0;
    } else if (arg.starts_with("-") || !path.empty()) {
      return usage();
    } else {
      path = arg;
    }
  }
  if (path.empty()) return usage();

  SnapshotOptions options;
  const bool bar = ::isatty(STDERR_FILENO);
  if (bar) {
    options.progress = [last = -1](std::uint64_t done, std::uint64_t total) mutable {
      const int percent = total ? static_cast<int>(done * 100 / total) : 100;
      if (percent == last) return;
      last = percent;
      std::fprintf(stderr, "\rloading [%-40s] %3d%%", std::string(static_cast<std::size_t>(percent * 40 / 100), '#').c_str(), percent);
      std::fflush(stderr);
    };
  }
  try {
    const detail::FileBytes file = detail::readWholeFile(path, detail::kMaxSnapshotBytes);
    const std::span<const char> bytes = file.bytes();
    const detail::Frame frame = detail::readFrame(bytes);
    Store store = detail::openSnapshotBytes(bytes, options);
    if (bar) std::fprintf(stderr, "\r%60s\r", "");
    if (mode == "--json") {
      rowsAsJson(store);
    } else if (mode == "--dot") {
      std::cout << store.toDot();
    } else {
      summary(store, path, frame);
    }
  } catch (const SnapshotError& e) {
    if (bar) std::fprintf(stderr, "\n");
    std::cerr << "relstore-inspect: " << path << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
