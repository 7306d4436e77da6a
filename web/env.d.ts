/// <reference types="vite/client" />
interface ImportMetaEnv {
  /** The sample capture as base64 in the one-file build (`npm run build:single`); '' or absent elsewhere. */
  readonly SINGLE_SAMPLE?: string;
}
