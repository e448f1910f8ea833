// The brand: public/logo.svg (the shield mark and the wordmark "churnwatch 流失预警"), the one file the shell, the
// sign-in page and the report PDF show. Its aspect ratio is that of the SVG's viewBox (236 × 64).
import Image from "next/image";

export function Logo({ height, alt }: { height: number; alt: string }) {
  return <Image src="/logo.svg" alt={alt} width={Math.round((height * 236) / 64)} height={height} unoptimized priority style={{ display: "block" }} />;
}
