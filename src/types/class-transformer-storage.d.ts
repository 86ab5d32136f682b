// class-transformer publishes the metadata storage's types apart from its CommonJS build.
declare module 'class-transformer/cjs/storage' {
  export * from 'class-transformer/types/storage';
}
