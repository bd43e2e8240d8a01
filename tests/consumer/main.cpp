// Built against relstore by add_subdirectory, an installed package and the
// build tree; exits non-zero if the library misbehaves.
#include <cstdio>

#include <relstore/relstore.h>

int main() {
  using namespace relstore;
  Store store;
  Model users = store.define("User", {{.name = "name", .allowNull = false, .unique = true},
                                      {.name = "level", .type = Type::Int, .defaultValue = 1}});
  users.create({{"name", "John"}});
  users.create({{"name", "Jane"}, {"level", 3}});
  auto found = users.findAll({.where = col("level") >= 2, .order = {{"name"}}});
  if (found.size() != 1 || found[0].get<std::string>("name") != "Jane") {
    std::puts("consumer: unexpected query result");
    return 1;
  }
  try {
    users.create({{"name", "John"}});
    std::puts("consumer: duplicate accepted");
    return 1;
  } catch (const UniqueConstraintError&) {
  }
  std::printf("consumer: ok (%s)\n", found[0].toJSON().c_str());
  return 0;
}
