// mark.js's minified build, which ./mark.ts imports: the same constructor as mark.js, untyped here
// (./mark.ts gives it the type it uses).
declare module 'mark.js/dist/mark.min.js' {
  const Mark: unknown;
  export default Mark;
}
