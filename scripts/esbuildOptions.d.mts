import type { BuildOptions } from "esbuild"

export declare const sharedOptions: BuildOptions
export declare const externalPackages: Array<string>
export declare const esmRequireBanner: string
