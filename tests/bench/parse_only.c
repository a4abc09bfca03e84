/* The floor no libclang tool can beat: parse every file of a compile
 * database with libclang (the same options stackcheck uses) and dispose of
 * it, nothing else. Usage: parse_only BUILD_DIR [RESOURCE_DIR] */
#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: parse_only BUILD_DIR [RESOURCE_DIR]\n");
        return 2;
    }
    CXCompilationDatabase_Error err;
    CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(argv[1], &err);
    if (err != CXCompilationDatabase_NoError) {
        fprintf(stderr, "parse_only: cannot load %s/compile_commands.json\n", argv[1]);
        return 2;
    }
    CXCompileCommands cmds = clang_CompilationDatabase_getAllCompileCommands(db);
    unsigned n = clang_CompileCommands_getSize(cmds);
    unsigned parsed = 0;
    for (unsigned i = 0; i < n; i++) {
        CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, i);
        unsigned na = clang_CompileCommand_getNumArgs(cmd);
        const char **args = calloc(na + 3, sizeof *args);
        CXString *strs = calloc(na, sizeof *strs);
        unsigned k = 0;
        for (unsigned a = 0; a < na; a++) {
            strs[a] = clang_CompileCommand_getArg(cmd, a);
            args[k++] = clang_getCString(strs[a]);
        }
        if (argc > 2) {
            args[k++] = "-resource-dir";
            args[k++] = argv[2];
        }
        CXString dir = clang_CompileCommand_getDirectory(cmd);
        /* Relative paths in the command are relative to its directory. */
        if (chdir(clang_getCString(dir)) != 0)
            perror("chdir");
        CXIndex index = clang_createIndex(0, 0);
        CXTranslationUnit tu = NULL;
        enum CXErrorCode rc = clang_parseTranslationUnit2FullArgv(
            index, NULL, args, (int)k, NULL, 0, CXTranslationUnit_KeepGoing, &tu);
        if (rc == CXError_Success)
            parsed++;
        clang_disposeTranslationUnit(tu);
        clang_disposeIndex(index);
        clang_disposeString(dir);
        for (unsigned a = 0; a < na; a++)
            clang_disposeString(strs[a]);
        free(strs);
        free(args);
    }
    clang_CompileCommands_dispose(cmds);
    clang_CompilationDatabase_dispose(db);
    printf("parsed %u of %u\n", parsed, n);
    return parsed == n ? 0 : 1;
}
