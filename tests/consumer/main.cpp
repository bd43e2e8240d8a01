// Built against relstore by add_subdirectory, an installed package and the
// build tree; exits non-zero if the library misbehaves.
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include <relstore/relstore.h>
#include <relstore/snapshot.h>

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
  // Associations, includes and scopes with designated initializers that leave
  // members out: -Wextra -Werror must stay quiet.
  Model posts = store.define("Post", {{.name = "title"}});
  users.hasMany(posts, {.foreignKey = "authorId", .as = "articles", .onDelete = Action::Cascade});
  posts.belongsTo(users, {.foreignKey = "authorId", .as = "author"});
  posts.addScope("withAuthor", {.include = {{.as = "author"}}});
  found[0].assoc("articles").create({{"title", "Hello World"}});
  auto withPosts = users.findAll({.include = {{.model = posts, .as = "articles", .required = true}}});
  auto scoped = posts.scope("withAuthor").findAll();
  if (withPosts.size() != 1 || scoped.size() != 1 || !scoped[0].includedOne("author")) {
    std::puts("consumer: unexpected association result");
    return 1;
  }
  // Transactions: a throwing body undoes its writes; a value comes back out.
  try {
    store.transaction([&] {
      users.create({{"name", "Temp"}});
      throw std::runtime_error("undo");
    });
  } catch (const std::runtime_error&) {
  }
  const std::size_t counted = store.transaction([&] { return users.count(); });
  if (counted != 2) {
    std::puts("consumer: unexpected transaction result");
    return 1;
  }

  // Snapshots (relstore::persistence): save, then load into the same schema.
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "relstore-consumer.relsnap";
  relstore::saveSnapshot(store, file, {.format = relstore::SnapshotFormat::Json});
  relstore::Store copy;
  copy.define("User", {{.name = "name"}, {.name = "level", .type = Type::Int}});
  relstore::LoadReport report = relstore::loadSnapshot(copy, file, {.allowDrop = true});
  std::filesystem::remove(file);
  if (report.droppedModels != std::vector<std::string>{"Post"} || copy.model("User").count() != users.count()) {
    std::puts("consumer: unexpected snapshot result");
    return 1;
  }
  std::printf("consumer: ok (%s)\n", withPosts[0].toJSON().c_str());
  return 0;
}
