/** The non-empty trimmed lines of a multi-line field (RabbitMQ nodes, Kafka brokers). */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
}
