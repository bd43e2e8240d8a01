#include "framing.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>

#define XXH_INLINE_ALL  // header-only: no library to link or export
#include <xxhash.h>

#include "relstore/errors.h"

namespace relstore::detail {
namespace {

constexpr std::string_view kJsonMagic = "relstore-snapshot ";
constexpr std::uint8_t kLittle = 1;

void putLe(char* at, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) at[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
std::uint64_t getLe(const char* at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= std::uint64_t{static_cast<unsigned char>(at[i])} << (8 * i);
  return v;
}

void encodeHeader(char* at, std::uint64_t version, std::uint8_t encoding, std::uint64_t length) {
  std::memcpy(at, kBinaryMagic, 8);
  putLe(at + 8, version, 4);
  putLe(at + 12, kLittle, 1);
  putLe(at + 13, encoding, 1);
  putLe(at + 14, 0, 2);
  putLe(at + 16, length, 8);
}

std::uint64_t checksumOf(const char* header, std::span<const char> payload) {
  Checksum sum;
  sum.update(header, kHeaderBytes);
  sum.update(payload.data(), payload.size());
  return sum.digest();
}

[[noreturn]] void bad(const std::string& what) { throw SnapshotError("Bad snapshot: " + what); }

void checkVersion(std::uint64_t version) {
  if (version == 0 || version > kFormatVersion) {
    bad("unsupported format version " + std::to_string(version) +
        (version > kFormatVersion ? " (written by a newer relstore; this build reads versions 1 to " +
                                        std::to_string(kFormatVersion) + ")"
                                  : ""));
  }
}

void checkLength(std::uint64_t length, std::size_t payloadOffset, std::uint64_t fileBytes, std::size_t trailer) {
  const std::uint64_t available = fileBytes - payloadOffset;
  if (length > available || available - length < trailer) {
    bad("truncated at byte " + std::to_string(fileBytes) + ": the header announces " + std::to_string(length) +
        " payload bytes after byte " + std::to_string(payloadOffset) +
        (trailer ? " and an 8-byte checksum" : ""));
  }
  if (available - length > trailer) {
    bad(std::to_string(available - length - trailer) + " trailing bytes after byte " +
        std::to_string(payloadOffset + length + trailer));
  }
}

Frame readBinary(std::span<const char> file) {
  if (file.size() < kHeaderBytes + kChecksumBytes) {
    bad("truncated at byte " + std::to_string(file.size()) + ": a snapshot has at least " +
        std::to_string(kHeaderBytes + kChecksumBytes) + " bytes");
  }
  const char* h = file.data();
  checkVersion(getLe(h + 8, 4));
  if (getLe(h + 12, 1) != kLittle) bad("unsupported endianness " + std::to_string(getLe(h + 12, 1)));
  const std::uint64_t encoding = getLe(h + 13, 1);
  if (encoding != 0) bad("unknown payload encoding " + std::to_string(encoding) + " in a binary header");
  if (getLe(h + 14, 2) != 0) bad("unknown flags 0x" + std::to_string(getLe(h + 14, 2)));
  const std::uint64_t length = getLe(h + 16, 8);
  checkLength(length, kHeaderBytes, file.size(), kChecksumBytes);
  const std::uint64_t stored = getLe(h + kHeaderBytes + length, 8);
  if (checksumOf(h, file.subspan(kHeaderBytes, length)) != stored) bad("bad checksum (the file is corrupt)");
  return Frame{static_cast<std::uint32_t>(getLe(h + 8, 4)), SnapshotFormat::Binary, kHeaderBytes, length,
               file.size()};
}

// Parses "name=value" at `at` in the JSON header line; advances `at`.
std::string_view field(std::string_view line, std::size_t& at, std::string_view name) {
  const std::string_view rest = at <= line.size() ? line.substr(at) : std::string_view();
  if (!rest.starts_with(name) || rest.substr(name.size()).substr(0, 1) != "=") {
    bad("malformed JSON header line: expected field '" + std::string(name) + "' at byte " + std::to_string(at));
  }
  at += name.size() + 1;
  const std::size_t end = std::min(line.find(' ', at), line.size());
  std::string_view value = line.substr(at, end - at);
  at = end + 1;
  return value;
}

std::uint64_t number(std::string_view text, int base, const char* name) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    bad(std::string("malformed ") + name + " '" + std::string(text) + "' in the JSON header line");
  }
  return v;
}

Frame readJson(std::span<const char> file) {
  const std::string_view all(file.data(), file.size());
  const std::size_t newline = all.substr(0, 256).find('\n');
  if (newline == std::string_view::npos) bad("the JSON header line is truncated or longer than 256 bytes");
  const std::string_view line = all.substr(0, newline);
  std::size_t at = kJsonMagic.size();
  const std::uint64_t version = number(field(line, at, "version"), 10, "version");
  checkVersion(version);
  if (field(line, at, "endianness") != "little") bad("unsupported endianness in the JSON header line");
  if (field(line, at, "encoding") != "json") bad("unknown payload encoding in the JSON header line");
  if (number(field(line, at, "flags"), 10, "flags") != 0) bad("unknown flags in the JSON header line");
  const std::uint64_t length = number(field(line, at, "length"), 10, "length");
  const std::string_view sumText = field(line, at, "xxh3");
  if (sumText.size() != 16 || at < line.size()) bad("malformed checksum field in the JSON header line");
  const std::uint64_t stored = number(sumText, 16, "checksum");
  const std::size_t offset = newline + 1;
  checkLength(length, offset, file.size(), 0);
  char header[kHeaderBytes];
  encodeHeader(header, version, 1, length);
  if (checksumOf(header, file.subspan(offset, length)) != stored) bad("bad checksum (the file is corrupt)");
  return Frame{static_cast<std::uint32_t>(version), SnapshotFormat::Json, offset, length, file.size()};
}

}  // namespace

void binaryHeader(char* header, std::uint64_t length) { encodeHeader(header, kFormatVersion, 0, length); }

void putLe64(char* at, std::uint64_t value) { putLe(at, value, 8); }

Checksum::Checksum() : state_(XXH3_createState()) {
  if (!state_) throw std::bad_alloc();
  XXH3_64bits_reset(static_cast<XXH3_state_t*>(state_));
}
Checksum::~Checksum() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }
void Checksum::update(const char* data, std::size_t bytes) {
  XXH3_64bits_update(static_cast<XXH3_state_t*>(state_), data, bytes);
}
std::uint64_t Checksum::digest() const { return XXH3_64bits_digest(static_cast<const XXH3_state_t*>(state_)); }

void reserveBinaryHeader(std::string& out) { out.assign(kHeaderBytes, '\0'); }

void finishBinaryFile(std::string& out) {
  const std::uint64_t length = out.size() - kHeaderBytes;
  encodeHeader(out.data(), kFormatVersion, 0, length);
  char sum[8];
  putLe(sum, checksumOf(out.data(), std::span<const char>(out.data() + kHeaderBytes, length)), 8);
  out.append(sum, 8);
}

std::string jsonFile(std::string_view payload) {
  char header[kHeaderBytes];
  encodeHeader(header, kFormatVersion, 1, payload.size());
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(checksumOf(header, std::span<const char>(payload.data(), payload.size()))));
  std::string file = std::string(kJsonMagic) + "version=" + std::to_string(kFormatVersion) +
                     " endianness=little encoding=json flags=0 length=" + std::to_string(payload.size()) +
                     " xxh3=" + hex + "\n";
  file.append(payload);
  return file;
}

Frame readFrame(std::span<const char> file) {
  if (file.empty()) bad("the file is empty");
  if (file.size() >= 8 && std::memcmp(file.data(), kBinaryMagic, 8) == 0) return readBinary(file);
  if (std::string_view(file.data(), file.size()).starts_with(kJsonMagic)) return readJson(file);
  bad("not a relstore snapshot (bad magic)");
}

}  // namespace relstore::detail
