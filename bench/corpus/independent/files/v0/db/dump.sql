-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: localhost    Database: shop
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),
  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'bob1@shop.test','$2a$10$m47Ai5P29rp6S9q5DQ5m4Q3FZpGDbLBMjA65OzqcvuiaTLT8azftY',NULL);
INSERT INTO `users` VALUES (2,'ops2@shop.test','$1$DpJfHyp3$7cfgzu69Ww65btYlg0vhJC',NULL);
INSERT INTO `users` VALUES (3,'bob3@shop.test','$2y$10$YETmmz8JtnXFrXphkRH8KHRR/yLVY.GpjcE4ummnmBxn5M6OsICf4',NULL);
INSERT INTO `users` VALUES (4,'deploy4@shop.test','$1$.HAi17Ok$HUgiwDCyvxxb8GBfVxI0Oi',NULL);
INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);
UNLOCK TABLES;
INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');
INSERT INTO `files` VALUES (1,'logo.png','0928b5b7a767c76fb008f86bebb2737f6a6f0fb23c6f5da2cec255404e4fb440');
