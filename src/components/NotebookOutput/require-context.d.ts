// The bundler's require.context (webpack and Rspack both provide it), used to read whichever
// notebook runs `npm run notebook-pages` has written into ./runs at build time.
declare namespace NodeJS {
  interface Require {
    context(
      directory: string,
      recursive: boolean,
      filter: RegExp,
    ): { keys(): string[]; (key: string): unknown };
  }
}
