// Shared by the snapshot suites: a world covering every type and
// association, a full textual dump of a store (schema, counters, rows by
// id) to compare stores exactly, and a temporary folder.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>

#include "relstore/relstore.h"
#include "relstore/snapshot.h"
#include "store_impl.h"

namespace relstore::snaptest {

class TempDir {
 public:
  TempDir() {
    static std::mt19937_64 rng(std::random_device{}());
    path_ = std::filesystem::temp_directory_path() / ("relstore-test-" + std::to_string(rng()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  const std::filesystem::path& path() const { return path_; }
  // Names of the files in the folder, sorted.
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(path_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::filesystem::path path_;
};

inline std::string shownValue(const Value& v) {
  if (v.isNull()) return "null";
  std::string s = std::string(typeName(v.type())) + ":";
  if (v.type() == Type::Real && std::signbit(v.asReal()) && v.asReal() == 0) return s + "-0";
  if (v.type() != Type::Text) return s + v.toString();
  std::ostringstream hex;
  for (unsigned char c : v.asText()) {
    if (c >= 0x20 && c < 0x7f) hex << c; else hex << "\\x" << std::hex << int(c) << std::dec;
  }
  return s + "\"" + hex.str() + "\"";
}

// Everything a snapshot carries, as text: equal dumps = equal stores.
inline std::string dump(const Store& store) {
  const detail::StoreImpl& impl = store.impl();
  std::ostringstream out;
  for (std::uint32_t i = 0; i < impl.modelCount(); ++i) {
    const detail::ModelImpl& m = impl.model(i);
    out << "model " << m.name() << " pk=" << m.pk() << " counter=" << m.idCounter() << "\n";
    for (const Attribute& a : m.attributes()) {
      out << "  " << a.name << " " << typeName(a.type) << " null=" << a.allowNull << " unique=" << a.unique
          << " index=" << a.index << " pk=" << a.primaryKey << " auto=" << a.autoIncrement
          << " default=" << (a.defaultValue ? shownValue(*a.defaultValue) : "none") << "\n";
    }
    const detail::Table& t = m.table();
    std::vector<std::uint32_t> rows;
    for (std::uint32_t r = 0; r < t.slotCount(); ++r) {
      if (t.isLive(r)) rows.push_back(r);
    }
    std::sort(rows.begin(), rows.end(), [&](auto a, auto b) { return t.idAt(a) < t.idAt(b); });
    for (std::uint32_t r : rows) {
      out << "  row";
      for (std::uint32_t c = 0; c < t.columnCount(); ++c) out << " " << shownValue(t.column(c).get(r));
      out << "\n";
    }
  }
  for (std::uint32_t i = 0; i < impl.associationCount(); ++i) {
    const detail::AssociationDef& a = impl.association(i);
    out << "association " << detail::associationTypeName(a.type) << " " << impl.model(a.source).name() << "."
        << a.as << " -> " << impl.model(a.target).name() << " fk=" << a.foreignKeyName << " other=" << a.otherKeyName
        << " through=" << (a.through ? impl.model(*a.through).name() : "-") << " unique=" << a.throughUnique
        << " hooks=" << a.hooks << " scope=" << a.scope.size() << " aliased=" << a.aliased << "\n";
  }
  for (std::uint32_t i = 0; i < impl.foreignKeyCount(); ++i) {
    const detail::ForeignKey& k = impl.foreignKey(i);
    out << "key " << impl.model(k.child).qualified(k.column) << " -> " << impl.model(k.parent).qualified(k.parentKey)
        << " delete=" << int(k.onDelete) << " update=" << int(k.onUpdate) << " constraints=" << k.constraints
        << " junction=" << k.junction << "\n";
  }
  return out.str();
}

// A schema with every type, option and association type.
inline void defineWorld(Store& store) {
  Model users = store.define("User", {{.name = "name", .allowNull = false, .unique = true},
                                      {.name = "gold", .type = Type::Int, .defaultValue = Value(100)},
                                      {.name = "ratio", .type = Type::Real, .index = true},
                                      {.name = "active", .type = Type::Bool, .defaultValue = Value(true)},
                                      {.name = "bio", .defaultValue = Value("none")}});
  Model posts = store.define("Post", {{.name = "title"}, {.name = "score", .type = Type::Real, .defaultValue = Value(1.5)}});
  Model profiles = store.define("Profile", {{.name = "motto"}});
  Model roles = store.define("Role", {{.name = "label", .unique = true}});
  Model grants = store.define("Grant", {{.name = "since", .type = Type::Int}});
  Model employees = store.define("Employee", {{.name = "name"}});
  Model comments = store.define("Comment", {{.name = "text"}, {.name = "commentable"}, {.name = "commentableId", .type = Type::Int}});
  users.hasMany(posts, {.onDelete = Action::Cascade});
  posts.belongsTo(users);
  users.hasOne(profiles);
  profiles.belongsTo(users);
  users.belongsToMany(roles, {.through = {.model = grants}});
  roles.belongsToMany(users, {.through = {.model = grants}});
  employees.hasMany(employees, {.foreignKey = "managerId", .as = "reports"});
  employees.belongsToMany(employees, {.through = {"Mentorship"}, .foreignKey = "menteeId", .otherKey = "mentorId", .as = "mentors"});
  posts.hasMany(comments, {.foreignKey = "commentableId", .constraints = false, .scope = {{"commentable", Value("post")}}});
}

// Rows with awkward values: nulls, extremes, NaN and infinities, -0.0, empty,
// NUL bytes, invalid UTF-8, a text that looks like the JSON hex escape, a
// 4 MB string; destroyed rows so counters exceed the largest id.
inline void fillWorld(Store& store) {
  Model users = store.model("User");
  Model posts = store.model("Post");
  Model roles = store.model("Role");
  Model employees = store.model("Employee");
  std::vector<Instance> u;
  u.push_back(users.create({{"name", "Ann"}, {"gold", std::numeric_limits<std::int64_t>::max()}, {"ratio", 0.1}}));
  u.push_back(users.create({{"name", "Bob"}, {"gold", std::numeric_limits<std::int64_t>::min()},
                            {"ratio", std::numeric_limits<double>::quiet_NaN()}, {"active", false}, {"bio", Value()}}));
  u.push_back(users.create({{"name", std::string("nul\0byte", 8)}, {"ratio", std::numeric_limits<double>::infinity()}}));
  u.push_back(users.create({{"name", "\xff\xfe not utf-8 \xc3"}, {"ratio", -std::numeric_limits<double>::infinity()}}));
  u.push_back(users.create({{"name", "\x1bhex:41"}, {"ratio", -0.0}, {"bio", std::string(4'000'000, 'x')}}));
  u.push_back(users.create({{"name", ""}, {"ratio", 1e-310}, {"gold", Value()}}));
  u.push_back(users.create({{"name", "zoë 日本"}, {"ratio", 123456789.123456789}}));
  users.create({{"name", "gone"}}).destroy();  // the counter stays above the largest id
  for (int i = 0; i < 3; ++i) {
    Instance p = u[static_cast<std::size_t>(i)].assoc("Posts").create({{"title", "post " + std::to_string(i)}});
    store.model("Comment").create({{"text", "c"}, {"commentable", "post"}, {"commentableId", p.id()}});
  }
  posts.create({{"title", Value()}, {"score", Value()}});
  u[1].assoc("Profile").create({{"motto", "carpe diem"}});
  Instance admin = roles.create({{"label", "admin"}});
  Instance mod = roles.create({{"label", "mod"}});
  u[0].assoc("Roles").add(std::vector<Instance>{admin, mod}, {{"since", 2020}});
  u[2].assoc("Roles").add(mod);
  Instance boss = employees.create({{"name", "boss"}});
  Instance e1 = boss.assoc("reports").create({{"name", "e1"}});
  e1.assoc("mentors").add(boss);
}

inline std::string readBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
inline void writeBytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace relstore::snaptest
